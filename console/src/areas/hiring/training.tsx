/**
 * Training: courses (mandatory for departments or positions), their sessions and who is enrolled (attendance,
 * completion with the certificate's expiry), and the certificates that expire in the next 30, 60 or 90 days
 * with the renewal of them.
 */
import { useId, useState } from "react";
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from "@mui/material";
import {
  Create,
  CreateButton,
  Datagrid,
  DateInput,
  DateTimeInput,
  Form,
  FunctionField,
  List,
  ListContextProvider,
  NumberInput,
  SaveButton,
  SelectArrayInput,
  SelectInput,
  SimpleForm,
  TextArrayInput,
  TextField,
  TextInput,
  Title,
  TopToolbar,
  maxValue,
  minValue,
  regex,
  required,
  useDataProvider,
  useList,
  useShowController,
  useTranslate,
} from "react-admin";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { formatNumber } from "../../format";
import { HIRING_PATHS } from "./resources";
import {
  ConfirmAction,
  DayField,
  EmployeeField,
  EmployeeInput,
  MomentField,
  Part,
  StateField,
  isoMoment,
  path,
  today,
  useAction,
  useApi,
  useDepartments,
  useFormat,
  useWord,
  type Course,
  type Enrolment,
  type Page,
  type Session,
  type TrainingRow,
  type Values,
  ListEmpty,
  SubmitBar,
} from "./common";

const EVERYONE = "*";
const HOURS = /^\d{1,4}(\.\d{1,2})?$/;
const SCORE = /^\d{1,3}(\.\d{1,2})?$/;

function useDepartmentNames() {
  const translate = useTranslate();
  const departments = useDepartments();
  return (ids: string[]) =>
    ids.map((id) => (id === EVERYONE ? translate("hiring.training.everyone") : departments.find((d) => d.id === id)?.name ?? id)).join(", ");
}

function MandatoryFor({ course }: { course: Course }) {
  const names = useDepartmentNames();
  const parts = [names(course.mandatory_departments ?? []), (course.mandatory_positions ?? []).join(", ")];
  return <span>{parts.filter(Boolean).join("; ") || "—"}</span>;
}

function Hours({ value }: { value: string | number }) {
  const { locale } = useFormat();
  return <span>{formatNumber(value, locale)}</span>;
}

/** Courses, by title. */
export function CourseList() {
  return (
    <List
      empty={<ListEmpty create />}
      perPage={100}
      sort={{ field: "", order: "ASC" }}
      actions={
        <TopToolbar>
          <CreateButton />
        </TopToolbar>
      }
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="title" sortable={false} />
        <FunctionField
          source="mandatory_departments"
          label="hiring.training.mandatory_for"
          sortable={false}
          render={(c: Course) => <MandatoryFor course={c} />}
        />
        <FunctionField source="duration_hours" sortable={false} render={(c: Course) => <Hours value={c.duration_hours} />} />
        <TextField source="validity_months" sortable={false} />
      </Datagrid>
    </List>
  );
}

export function CourseCreate() {
  const translate = useTranslate();
  const departments = useDepartments();
  const choices = [{ id: EVERYONE, name: translate("hiring.training.everyone") }, ...departments];
  return (
    <Create redirect="show" title={translate("hiring.training.create")}>
      <SimpleForm defaultValues={{ mandatory_departments: [], mandatory_positions: [], validity_months: 12 }}>
        <TextInput source="title" validate={required()} />
        <SelectArrayInput source="mandatory_departments" choices={choices} optionText="name" />
        <TextArrayInput source="mandatory_positions" helperText="hiring.training.positions_help" />
        <TextInput
          source="duration_hours"
          validate={[required(), regex(HOURS, "hiring.common.amount_format")]}
          inputProps={{ inputMode: "decimal" }}
        />
        <NumberInput source="validity_months" validate={[required(), minValue(1), maxValue(240)]} />
      </SimpleForm>
    </Create>
  );
}

function AddSession({ courseId }: { courseId: string }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run } = useAction();
  return (
    <Box>
      <Typography component="h3" variant="subtitle1">
        {translate("hiring.training.add_session")}
      </Typography>
      <SimpleForm
        toolbar={<SubmitBar label="hiring.training.add_session" />}
        sx={{ p: 0 }}
        defaultValues={{ capacity: 20 }}
        onSubmit={(values: Values) =>
          run(
            () =>
              dataProvider.post(path(HIRING_PATHS.courseSessions, courseId), {
                starts_at: isoMoment(values.starts_at),
                location: values.location || null,
                capacity: Number(values.capacity),
              }),
            translate("hiring.training.session_added"),
          )
        }
      >
        <DateTimeInput source="starts_at" label="hiring.training.starts_at" validate={required()} />
        <TextInput source="location" label="hiring.training.location" />
        <NumberInput
          source="capacity"
          label="hiring.training.capacity"
          validate={[required(), minValue(1), maxValue(10000)]}
        />
      </SimpleForm>
    </Box>
  );
}

function Sessions({ courseId, sessions }: { courseId: string; sessions: Session[] }) {
  const translate = useTranslate();
  const list = useList({ data: sessions, perPage: 1000 });
  return (
    <Part title={translate("hiring.training.sessions")}>
      {sessions.length === 0 ? (
        <Empty message={translate("hiring.training.no_sessions")} />
      ) : (
        <ListContextProvider value={list}>
          <Datagrid resource="sessions" bulkActionButtons={false} rowClick={false}>
            <MomentField source="starts_at" label="hiring.training.starts_at" sortable={false} />
            <TextField source="location" label="hiring.training.location" sortable={false} />
            <FunctionField
              label="hiring.training.places"
              render={(s: Session) => translate("hiring.training.places_taken", { enrolled: s.enrolled, capacity: s.capacity })}
            />
          </Datagrid>
        </ListContextProvider>
      )}
      <AddSession courseId={courseId} />
    </Part>
  );
}

function CompleteDialog({ enrolment, onClose }: { enrolment: Enrolment; onClose: () => void }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run } = useAction();
  const titleId = useId();
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>{translate("hiring.training.complete_title", { course: enrolment.course_title })}</DialogTitle>
      <Form
        record={{ id: enrolment.id }} // not the enrolment's row: its empty completion would be the form's values
        defaultValues={{ completed_on: today() }}
        onSubmit={(values: Values) =>
          run(
            () =>
              dataProvider.post(path(HIRING_PATHS.enrolmentCompletion, enrolment.id), {
                completed_on: values.completed_on,
                score: values.score || null,
              }),
            translate("hiring.training.completed"),
            onClose,
          )
        }
      >
        <DialogContent>
          <DateInput source="completed_on" label="hiring.training.completed_on" validate={required()} />
          <TextInput
            source="score"
            label="hiring.training.score"
            validate={regex(SCORE, "hiring.common.amount_format")}
            inputProps={{ inputMode: "decimal" }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate("ra.action.cancel")}</Button>
          <SaveButton label="hiring.training.complete" icon={<span />} />
        </DialogActions>
      </Form>
    </Dialog>
  );
}

function EnrolmentActions({ enrolment }: { enrolment: Enrolment }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run, busy } = useAction();
  const [completing, setCompleting] = useState(false);
  if (enrolment.status !== "enrolled" && enrolment.status !== "attended") return null;
  return (
    <Stack direction="row" spacing={1}>
      {enrolment.status === "enrolled" && (
        <Button
          size="small"
          variant="outlined"
          disabled={busy}
          onClick={() =>
            run(
              () => dataProvider.post(path(HIRING_PATHS.enrolmentAttendance, enrolment.id)),
              translate("hiring.training.attended"),
            )
          }
        >
          {translate("hiring.training.attend")}
        </Button>
      )}
      <Button size="small" variant="outlined" onClick={() => setCompleting(true)}>
        {translate("hiring.training.complete")}
      </Button>
      {completing && <CompleteDialog enrolment={enrolment} onClose={() => setCompleting(false)} />}
    </Stack>
  );
}

function Enrol({ courseId, sessions }: { courseId: string; sessions: Session[] }) {
  const translate = useTranslate();
  const { moment } = useFormat();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run } = useAction();
  return (
    <Box>
      <Typography component="h3" variant="subtitle1">
        {translate("hiring.training.enrol")}
      </Typography>
      <SimpleForm
        toolbar={<SubmitBar label="hiring.training.enrol" />}
        sx={{ p: 0 }}
        onSubmit={(values: Values) =>
          run(
            () =>
              dataProvider.post(path(HIRING_PATHS.courseEnrolments, courseId), {
                employee_id: values.employee_id,
                session_id: values.session_id || null,
              }),
            translate("hiring.training.enrolled"),
          )
        }
      >
        <EmployeeInput source="employee_id" label="hiring.training.employee" validate={required()} />
        <SelectInput
          source="session_id"
          label="hiring.training.session"
          choices={sessions.map((s) => ({ id: s.id, name: `${moment(s.starts_at)}${s.location ? `, ${s.location}` : ""}` }))}
          emptyText="hiring.training.no_session"
        />
      </SimpleForm>
    </Box>
  );
}

function Enrolments({ courseId, sessions }: { courseId: string; sessions: Session[] }) {
  const translate = useTranslate();
  const word = useWord();
  const { moment } = useFormat();
  const [session, setSession] = useState("");
  const enrolments = useApi<Page<Enrolment>>(path(HIRING_PATHS.courseEnrolments, courseId), {
    limit: 500,
    session_id: session || undefined,
  });
  const list = useList({ data: enrolments.data?.items ?? [], perPage: 1000 });
  const sessionName = (id: string | null) => {
    const found = sessions.find((s) => s.id === id);
    return found ? moment(found.starts_at) : "—";
  };
  return (
    <Part
      title={translate("hiring.training.enrolments")}
      actions={
        <Form>
          <SelectInput
            source="filter_session"
            label="hiring.training.session"
            choices={sessions.map((s) => ({ id: s.id, name: moment(s.starts_at) }))}
            emptyText="hiring.training.all_sessions"
            onChange={(event) => setSession(String(event.target.value ?? ""))}
            helperText={false}
            sx={{ minWidth: 240 }}
          />
        </Form>
      }
    >
      {enrolments.isPending ? (
        <Loading />
      ) : enrolments.error ? (
        <Failed error={enrolments.error} retry={() => enrolments.refetch()} />
      ) : enrolments.data.items.length === 0 ? (
        <Empty message={translate("hiring.training.no_enrolments")} />
      ) : (
        <ListContextProvider value={list}>
          <Datagrid resource="enrolments" bulkActionButtons={false} rowClick={false}>
            <EmployeeField source="employee_id" sortable={false} />
            <FunctionField source="session_id" sortable={false} render={(e: Enrolment) => sessionName(e.session_id)} />
            <StateField source="status" group="enrolment_status" sortable={false} />
            <FunctionField source="reason" sortable={false} render={(e: Enrolment) => word("reason", e.reason)} />
            <FunctionField source="score" sortable={false} render={(e: Enrolment) => (e.score === null ? "" : String(e.score))} />
            <DayField source="completed_on" sortable={false} />
            <DayField source="expires_on" sortable={false} />
            <FunctionField label="hiring.candidates.actions" render={(e: Enrolment) => <EnrolmentActions enrolment={e} />} />
          </Datagrid>
        </ListContextProvider>
      )}
      <Enrol courseId={courseId} sessions={sessions} />
    </Part>
  );
}

/** A course: what it is and for whom, its sessions, and who is enrolled. */
export function CourseShow() {
  const translate = useTranslate();
  const { record, isPending, error, refetch } = useShowController<Course & { id: string }>();
  const sessions = useApi<Page<Session>>(record ? path(HIRING_PATHS.courseSessions, record.id) : null, { limit: 500 });
  if (isPending) return <Loading />;
  if (error || !record) return <Failed error={error} retry={() => refetch()} />;
  const field = (name: string) => translate(`resources.courses.fields.${name}`);
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={`${translate("resources.courses.name", { smart_count: 1 })}: ${record.title}`} />
      <Part title={`${translate("resources.courses.name", { smart_count: 1 })}: ${record.title}`}>
        <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: 1, m: 0 }}>
          <dt>{translate("hiring.training.mandatory_for")}</dt>
          <dd>
            <MandatoryFor course={record} />
          </dd>
          <dt>{field("duration_hours")}</dt>
          <dd>
            <Hours value={record.duration_hours} />
          </dd>
          <dt>{field("validity_months")}</dt>
          <dd>{record.validity_months}</dd>
        </Box>
      </Part>
      {sessions.isPending ? (
        <Loading />
      ) : sessions.error ? (
        <Failed error={sessions.error} retry={() => sessions.refetch()} />
      ) : (
        <>
          <Sessions courseId={record.id} sessions={sessions.data.items} />
          <Enrolments courseId={record.id} sessions={sessions.data.items} />
        </>
      )}
    </Stack>
  );
}

const WINDOWS = [30, 60, 90];

/**
 * Certificates of mandatory courses that expire in the next 30, 60 or 90 days (and, if asked, what is overdue
 * already), with the renewal that enrols each of those people again before expiry.
 */
export function ExpiringCertificates() {
  const translate = useTranslate();
  const departments = useDepartments();
  const { day } = useFormat();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run } = useAction();
  const [within, setWithin] = useState(30);
  const [department, setDepartment] = useState("");
  const [overdue, setOverdue] = useState(false);
  const report = useApi<{ as_of: string; within_days: number; rows: TrainingRow[] }>(HIRING_PATHS.trainingReport, {
    within_days: within,
    department_id: department || undefined,
  });
  const rows = (report.data?.rows ?? [])
    .filter((row) => overdue || row.state === "expiring")
    .map((row) => ({ ...row, id: `${row.employee_id}:${row.course_id}` }));
  const list = useList({ data: rows, perPage: 1000 });
  const windowLabel = translate("hiring.training.window_label");
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={translate("hiring.training.expiring")} />
      <Part
        title={translate("hiring.training.expiring_within", { days: within })}
        actions={
          <ConfirmAction
            label={translate("hiring.training.renew")}
            title={translate("hiring.training.renew_title", { days: within })}
            content={translate("hiring.training.renew_content", { days: within })}
            onConfirm={() =>
              run(
                () =>
                  dataProvider.post<Enrolment[]>(`${HIRING_PATHS.trainingRenewals}?within_days=${within}`),
                (made) => translate("hiring.training.renewed", { smart_count: made.length }),
              )
            }
          />
        }
      >
        <Stack direction="row" spacing={2} sx={{ flexWrap: "wrap", alignItems: "center", mb: 2 }}>
          <ToggleButtonGroup
            exclusive
            size="small"
            value={within}
            aria-label={windowLabel}
            onChange={(_, value: number | null) => value && setWithin(value)}
          >
            {WINDOWS.map((days) => (
              <ToggleButton key={days} value={days}>
                {translate("hiring.training.days", { days })}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
          <Form>
            <SelectInput
              source="department"
              label="resources.employees.fields.department_id"
              choices={departments}
              optionText="name"
              emptyText="hiring.common.every_department"
              onChange={(event) => setDepartment(String(event.target.value ?? ""))}
              helperText={false}
              sx={{ minWidth: 220 }}
            />
          </Form>
          <ToggleButton
            size="small"
            value="overdue"
            selected={overdue}
            onChange={() => setOverdue(!overdue)}
          >
            {translate("hiring.training.show_overdue")}
          </ToggleButton>
        </Stack>
        {report.isPending ? (
          <Loading />
        ) : report.error ? (
          <Failed error={report.error} retry={() => report.refetch()} />
        ) : rows.length === 0 ? (
          <Empty message={translate("hiring.training.none_expiring", { days: within })} />
        ) : (
          <ListContextProvider value={list}>
            <Datagrid resource="training_report" bulkActionButtons={false} rowClick={false}>
              <EmployeeField source="employee_id" sortable={false} />
              <TextField source="course_title" sortable={false} />
              <StateField source="state" group="training_state" sortable={false} />
              <FunctionField
                source="expires_on"
                sortable={false}
                render={(r: TrainingRow) => (r.expires_on ? day(r.expires_on) : translate("hiring.training.never_done"))}
              />
            </Datagrid>
          </ListContextProvider>
        )}
      </Part>
      <Typography variant="body2">{translate("hiring.training.report_note")}</Typography>
    </Stack>
  );
}

