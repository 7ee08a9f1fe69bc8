import { Box, Card, CardContent, Stack, Typography } from "@mui/material";
import {
  AutocompleteArrayInput,
  BooleanInput,
  Datagrid,
  DateInput,
  DateTimeInput,
  FunctionField,
  List,
  RadioButtonGroupInput,
  ReferenceArrayInput,
  SimpleForm,
  TextField,
  TextInput,
  Title,
  required,
  useDataProvider,
  useGetIdentity,
  useShowController,
  useTranslate,
} from "react-admin";
import { Link } from "react-router-dom";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { HIRING_PATHS } from "./resources";
import {
  EmployeeName,
  MomentField,
  Part,
  isoMoment,
  path,
  useAction,
  useApi,
  useFormat,
  useWord,
  type Employee,
  type Interview,
  type Page,
  type Values,
  ListEmpty,
  SubmitBar,
} from "./common";

const filters = [
  <BooleanInput key="mine" source="mine" />,
  <DateInput key="from" source="from" />,
  <DateInput key="to" source="to" />,
];

function Panel({ ids }: { ids: string[] }) {
  return (
    <>
      {ids.map((id, index) => (
        <span key={id}>
          {index > 0 && ", "}
          <EmployeeName id={id} />
        </span>
      ))}
    </>
  );
}

function Rating({ value }: { value: string | number | null | undefined }) {
  const { rating } = useFormat();
  return <>{rating(value)}</>;
}

/** Interviews HR (or a hiring manager, or an interviewer) may see, by scheduled time. */
export function InterviewList() {
  return (
    <List filters={filters} empty={<ListEmpty />} perPage={50} sort={{ field: "", order: "ASC" }}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <MomentField source="scheduled_at" sortable={false} />
        <TextField source="candidate_name" sortable={false} />
        <TextField source="position" sortable={false} />
        <FunctionField source="interviewers" sortable={false} render={(r: Interview) => <Panel ids={r.interviewers} />} />
        <FunctionField
          source="average_rating"
          sortable={false}
          render={(r: Interview) => <Rating value={r.average_rating} />}
        />
      </Datagrid>
    </List>
  );
}

/** An interviewer's structured feedback, once the interview has taken place. */
function FeedbackForm({ interview }: { interview: Interview }) {
  const translate = useTranslate();
  const word = useWord();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run } = useAction();
  return (
    <Box sx={{ mt: 2 }}>
      <Typography component="h4" variant="subtitle1">
        {translate("hiring.interviews.give_feedback")}
      </Typography>
      <SimpleForm
        toolbar={<SubmitBar label="hiring.interviews.submit_feedback" />}
        sx={{ p: 0 }}
        onSubmit={(values: Values) =>
          run(
            () =>
              dataProvider.post(path(HIRING_PATHS.interviewFeedback, interview.id), {
                rating: Number(values.rating),
                recommendation: values.recommendation,
                notes: values.notes || null,
              }),
            translate("hiring.interviews.feedback_given"),
          )
        }
      >
        <RadioButtonGroupInput
          source="rating"
          label="resources.interviews.fields.rating"
          choices={[1, 2, 3, 4, 5].map((n) => ({ id: String(n), name: String(n) }))}
          validate={required()}
        />
        <RadioButtonGroupInput
          source="recommendation"
          label="resources.interviews.fields.recommendation"
          choices={["hire", "no_hire", "unsure"].map((id) => ({ id, name: word("recommendation", id) }))}
          validate={required()}
        />
        <TextInput source="notes" label="resources.interviews.fields.notes" multiline minRows={2} />
      </SimpleForm>
    </Box>
  );
}

/** One interview: when, the panel, every rating the caller may see, and their own feedback form. */
export function InterviewCard({ interview, heading = "h3" }: { interview: Interview; heading?: "h2" | "h3" }) {
  const translate = useTranslate();
  const word = useWord();
  const { moment } = useFormat();
  const { identity } = useGetIdentity();
  const me = identity?.employeeId as string | undefined;
  const onPanel = me !== undefined && interview.interviewers.includes(me);
  const given = interview.feedback.some((f) => f.interviewer_id === me);
  const held = new Date(interview.scheduled_at).getTime() <= Date.now();
  return (
    <Card variant="outlined" component="article" aria-label={moment(interview.scheduled_at)}>
      <CardContent>
        <Typography component={heading} variant="subtitle1" sx={{ fontWeight: 700 }}>
          {translate("hiring.interviews.heading", { when: moment(interview.scheduled_at), name: interview.candidate_name })}
        </Typography>
        <Typography variant="body2">
          {translate("resources.interviews.fields.interviewers")}: <Panel ids={interview.interviewers} />
        </Typography>
        <Typography variant="body2">
          {translate("resources.interviews.fields.average_rating")}:{" "}
          <Rating value={interview.average_rating} />
        </Typography>
        {interview.feedback.length === 0 ? (
          <Typography variant="body2" sx={{ mt: 1 }}>
            {translate("hiring.interviews.no_feedback")}
          </Typography>
        ) : (
          <Box component="ul" sx={{ mt: 1, pl: 3 }}>
            {interview.feedback.map((f) => (
              <li key={f.interviewer_id}>
                <EmployeeName id={f.interviewer_id} />
                {`: ${f.rating}/5, ${word("recommendation", f.recommendation)}`}
                {f.notes ? ` — ${f.notes}` : ""}
              </li>
            ))}
          </Box>
        )}
        {onPanel && !given && held && <FeedbackForm interview={interview} />}
        {onPanel && !given && !held && (
          <Typography variant="body2" sx={{ mt: 1 }}>
            {translate("hiring.interviews.feedback_later")}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}

/** Scheduling an interview with a panel of employees. */
export function ScheduleInterview({ applicationId }: { applicationId: string }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run } = useAction();
  return (
    <Box>
      <Typography component="h3" variant="subtitle1">
        {translate("hiring.interviews.schedule")}
      </Typography>
      <SimpleForm
        toolbar={<SubmitBar label="hiring.interviews.schedule" />}
        sx={{ p: 0 }}
        onSubmit={(values: Values) =>
          run(
            () =>
              dataProvider.post(path(HIRING_PATHS.applicationInterviews, applicationId), {
                scheduled_at: isoMoment(values.scheduled_at),
                interviewers: values.interviewers,
              }),
            translate("hiring.interviews.scheduled"),
          )
        }
      >
        <DateTimeInput source="scheduled_at" label="resources.interviews.fields.scheduled_at" validate={required()} />
        <ReferenceArrayInput source="interviewers" reference="employees">
          <AutocompleteArrayInput
            label="resources.interviews.fields.interviewers"
            optionText={(e: Employee) => `${e.given_name} ${e.family_name}`}
            filterToQuery={(q: string) => ({ q })}
            validate={required()}
          />
        </ReferenceArrayInput>
      </SimpleForm>
    </Box>
  );
}

/** An application's interviews, by scheduled time. */
export function ApplicationInterviews({ applicationId, active }: { applicationId: string; active: boolean }) {
  const translate = useTranslate();
  const interviews = useApi<Page<Interview>>("/api/hr/interviews", { application_id: applicationId, limit: 100 });
  return (
    <Part title={translate("resources.interviews.name", { smart_count: 2 })}>
      <Stack spacing={1}>
        {interviews.isPending ? (
          <Loading />
        ) : interviews.error ? (
          <Failed error={interviews.error} retry={() => interviews.refetch()} />
        ) : interviews.data.items.length === 0 ? (
          <Empty message={translate("hiring.interviews.empty")} />
        ) : (
          interviews.data.items.map((interview) => <InterviewCard key={interview.id} interview={interview} />)
        )}
        {active && <ScheduleInterview applicationId={applicationId} />}
      </Stack>
    </Part>
  );
}

export function InterviewShow() {
  const translate = useTranslate();
  const { record, isPending, error, refetch } = useShowController<Interview & { id: string }>();
  if (isPending) return <Loading />;
  if (error || !record) return <Failed error={error} retry={() => refetch()} />;
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={translate("resources.interviews.name", { smart_count: 1 })} />
      <Part
        title={`${record.candidate_name} — ${record.position}`}
        actions={
          <Link to={`/applications/${encodeURIComponent(record.application_id)}`}>
            {translate("hiring.interviews.open_application")}
          </Link>
        }
      >
        <InterviewCard interview={record} />
      </Part>
    </Stack>
  );
}
