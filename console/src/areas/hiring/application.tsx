/**
 * One application: the candidate, where it stands and how it got there, its interviews, and its offers up to
 * the hire. Accepting an offer hires the person (the API does it, once): the page then links to the new
 * employee.
 */
import { Alert, Box, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import {
  DateInput,
  FormDataConsumer,
  SelectInput,
  SimpleForm,
  TextInput,
  Title,
  regex,
  required,
  useDataProvider,
  useGetOne,
  useTranslate,
} from "react-admin";
import { Link, useParams } from "react-router-dom";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { HIRING_PATHS } from "./resources";
import {
  ConfirmAction,
  Part,
  StateChip,
  path,
  useAction,
  useApi,
  useFormat,
  useStages,
  useWord,
  type Application,
  type Offer,
  type Opening,
  type Page,
  type Values,
  SubmitBar,
} from "./common";
import { StageButtons, candidateName } from "./pipeline";
import { ApplicationInterviews } from "./interviews";
import { outsideRange, yearlyPay } from "./range";

const FREQUENCIES = ["weekly", "biweekly", "semimonthly", "monthly"];
const RATE = /^\d{1,10}(\.\d{1,4})?$/;

function OfferForm({ application, opening }: { application: Application; opening: Opening | undefined }) {
  const translate = useTranslate();
  const word = useWord();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run } = useAction();
  return (
    <Box>
      <Typography component="h3" variant="subtitle1">
        {translate("hiring.offers.make")}
      </Typography>
      <SimpleForm
        toolbar={<SubmitBar label="hiring.offers.make" />}
        sx={{ p: 0 }}
        defaultValues={{
          position: opening?.position ?? "",
          employment_type: "salaried",
          currency: opening?.currency ?? "EUR",
          frequency: "monthly",
        }}
        onSubmit={(values: Values) =>
          run(
            () =>
              dataProvider.post(path(HIRING_PATHS.applicationOffers, application.id), {
                position: values.position,
                employment_type: values.employment_type,
                start_date: values.start_date,
                outside_range_reason: values.outside_range_reason || null,
                pay_terms: {
                  pay_type: values.employment_type,
                  rate: values.pay_terms?.rate ?? values.rate,
                  currency: String(values.currency).toUpperCase(),
                  frequency: values.frequency,
                },
              }),
            translate("hiring.offers.made"),
          ).then((errors) => {
            // The pay terms' errors stand beside the inputs that carry them.
            const pay = (errors?.pay_terms ?? {}) as Record<string, unknown>;
            return errors ? { ...errors, rate: pay.rate, currency: pay.currency, frequency: pay.frequency } : errors;
          })
        }
      >
        <TextInput source="position" label="resources.offers.fields.position" validate={required()} />
        <SelectInput
          source="employment_type"
          label="resources.offers.fields.employment_type"
          choices={["salaried", "hourly"].map((id) => ({ id, name: word("employment_type", id) }))}
          validate={required()}
        />
        <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
          <TextInput
            source="rate"
            label="resources.offers.fields.rate"
            helperText="hiring.offers.rate_help"
            validate={[required(), regex(RATE, "hiring.common.amount_format")]}
            inputProps={{ inputMode: "decimal" }}
          />
          <TextInput
            source="currency"
            label="resources.offers.fields.currency"
            validate={[required(), regex(/^[A-Za-z]{3}$/, "hiring.common.currency_format")]}
          />
          <SelectInput
            source="frequency"
            label="resources.offers.fields.frequency"
            choices={FREQUENCIES.map((id) => ({ id, name: word("frequency", id) }))}
            validate={required()}
          />
        </Box>
        {opening && <OutsideRangeReason opening={opening} />}
        <DateInput source="start_date" label="resources.offers.fields.start_date" validate={required()} />
      </SimpleForm>
    </Box>
  );
}

/** The opening's range beside the pay, and the reason asked for when the yearly pay falls outside it. */
function OutsideRangeReason({ opening }: { opening: Opening }) {
  const translate = useTranslate();
  const { money } = useFormat();
  const range = `${money(opening.salary_min, opening.currency)} – ${money(opening.salary_max, opening.currency)}`;
  return (
    <FormDataConsumer>
      {({ formData }) => {
        const values = formData as Values;
        const yearly = yearlyPay(String(values.rate ?? ""), String(values.employment_type), String(values.frequency));
        const outside = outsideRange(yearly, String(values.currency ?? ""), opening);
        return (
          <Box sx={{ width: "100%" }}>
            <Alert severity={outside ? "warning" : "info"} sx={{ mb: 1 }}>
              {translate(outside ? "hiring.offers.outside_range" : "hiring.offers.range", {
                range,
                yearly: yearly === null ? "—" : money(yearly, String(values.currency ?? opening.currency).toUpperCase()),
              })}
            </Alert>
            {outside && (
              <TextInput
                source="outside_range_reason"
                label="resources.offers.fields.outside_range_reason"
                helperText="hiring.offers.outside_range_help"
                validate={required()}
                multiline
                minRows={2}
                fullWidth
              />
            )}
          </Box>
        );
      }}
    </FormDataConsumer>
  );
}

function OfferRow({ offer, name }: { offer: Offer; name: string }) {
  const translate = useTranslate();
  const word = useWord();
  const { day, money } = useFormat();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run } = useAction();
  const pay = `${money(offer.pay_terms.rate, offer.pay_terms.currency)} ${word("per", offer.pay_terms.pay_type === "hourly" ? "hour" : offer.pay_terms.frequency)}`;
  const terms = { name, position: offer.position, pay, start: day(offer.start_date) };
  return (
    <TableRow>
      <TableCell>{offer.position}</TableCell>
      <TableCell>{word("employment_type", offer.employment_type)}</TableCell>
      <TableCell>
        {pay}
        {offer.outside_range_reason && (
          <Typography variant="body2" color="text.secondary">
            {translate("hiring.offers.outside_range_reason", { reason: offer.outside_range_reason })}
          </Typography>
        )}
      </TableCell>
      <TableCell>{day(offer.start_date)}</TableCell>
      <TableCell>
        <StateChip group="offer_status" value={offer.status} />
      </TableCell>
      <TableCell>
        <Stack direction="row" spacing={1} sx={{ flexWrap: "wrap", alignItems: "center" }}>
          {offer.status === "draft" && (
            <ConfirmAction
              label={translate("hiring.offers.send")}
              title={translate("hiring.offers.send_title", terms)}
              content={translate("hiring.offers.send_content", terms)}
              onConfirm={() => run(() => dataProvider.post(path(HIRING_PATHS.offerSend, offer.id)), translate("hiring.offers.sent"))}
            />
          )}
          {offer.status === "sent" && (
            <>
              <ConfirmAction
                variant="contained"
                color="success"
                label={translate("hiring.offers.accept")}
                title={translate("hiring.offers.accept_title", terms)}
                content={translate("hiring.offers.accept_content", terms)}
                confirm={translate("hiring.offers.accept_confirm")}
                onConfirm={() =>
                  run(
                    () => dataProvider.post(path(HIRING_PATHS.offerAccept, offer.id)),
                    translate("hiring.offers.accepted", { name }),
                  )
                }
              />
              <ConfirmAction
                color="error"
                label={translate("hiring.offers.decline")}
                title={translate("hiring.offers.decline_title", terms)}
                content={translate("hiring.offers.decline_content", terms)}
                onConfirm={() =>
                  run(() => dataProvider.post(path(HIRING_PATHS.offerDecline, offer.id)), translate("hiring.offers.declined"))
                }
              />
            </>
          )}
          {offer.employee_id && (
            <Link to={`/employees/${encodeURIComponent(offer.employee_id)}/show`}>
              {translate("hiring.offers.employee_named", { name })}
            </Link>
          )}
        </Stack>
      </TableCell>
    </TableRow>
  );
}

function Offers({ application, opening }: { application: Application; opening: Opening | undefined }) {
  const translate = useTranslate();
  const offers = useApi<Page<Offer>>(path(HIRING_PATHS.applicationOffers, application.id));
  const name = candidateName(application.candidate);
  const pending = offers.data?.items.some((o) => o.status === "draft" || o.status === "sent");
  const canOffer = application.status === "active" && application.stage === "offer" && offers.data && !pending;
  const field = (f: string) => translate(`resources.offers.fields.${f}`);
  return (
    <Part title={translate("resources.offers.name", { smart_count: 2 })}>
      {offers.isPending ? (
        <Loading />
      ) : offers.error ? (
        <Failed error={offers.error} retry={() => offers.refetch()} />
      ) : offers.data.items.length === 0 ? (
        <Empty
          message={translate(application.stage === "offer" ? "hiring.offers.empty" : "hiring.offers.empty_before")}
        />
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{field("position")}</TableCell>
              <TableCell>{field("employment_type")}</TableCell>
              <TableCell>{field("pay")}</TableCell>
              <TableCell>{field("start_date")}</TableCell>
              <TableCell>{field("status")}</TableCell>
              <TableCell>{translate("hiring.candidates.actions")}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {offers.data.items.map((offer) => (
              <OfferRow key={offer.id} offer={offer} name={name} />
            ))}
          </TableBody>
        </Table>
      )}
      {canOffer && <OfferForm application={application} opening={opening} />}
    </Part>
  );
}

function History({ application }: { application: Application }) {
  const translate = useTranslate();
  const word = useWord();
  const { moment } = useFormat();
  const stage = (s: string | null) => (s ? word("stages", s) : "—");
  return (
    <Part title={translate("hiring.applications.history")}>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>{translate("hiring.applications.from")}</TableCell>
            <TableCell>{translate("hiring.applications.to")}</TableCell>
            <TableCell>{translate("hiring.applications.when")}</TableCell>
            <TableCell>{translate("hiring.pipeline.reason")}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {application.moves.map((move, index) => (
            <TableRow key={index}>
              <TableCell>{stage(move.from_stage)}</TableCell>
              <TableCell>{stage(move.to_stage)}</TableCell>
              <TableCell>{moment(move.moved_at)}</TableCell>
              <TableCell>{move.reason ?? ""}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Part>
  );
}

export function ApplicationPage() {
  const translate = useTranslate();
  const { rating } = useFormat();
  const word = useWord();
  const { id = "" } = useParams();
  const stages = useStages();
  const application = useGetOne<Application & { id: string }>("applications", { id });
  const opening = useGetOne<Opening & { id: string }>(
    "openings",
    { id: application.data?.opening_id ?? "" },
    { enabled: Boolean(application.data) },
  );
  if (application.isPending) return <Loading />;
  if (application.error || !application.data) {
    return <Failed error={application.error} retry={() => application.refetch()} />;
  }
  const record = application.data;
  const name = candidateName(record.candidate);
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={`${translate("hiring.applications.title")}: ${name}`} />
      <Part
        title={`${name} — ${opening.data?.position ?? ""}`}
        actions={
          <Link to={`/openings/${encodeURIComponent(record.opening_id)}/show`}>
            {translate("hiring.applications.back_to_board")}
          </Link>
        }
      >
        <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: 1, m: 0 }}>
          <dt>{translate("hiring.applications.stage")}</dt>
          <dd>{word("stages", record.stage)}</dd>
          <dt>{translate("hiring.applications.status")}</dt>
          <dd>
            <StateChip group="application_status" value={record.status} />
          </dd>
          <dt>{translate("resources.candidates.fields.email")}</dt>
          <dd>{record.candidate.email ?? ""}</dd>
          <dt>{translate("resources.candidates.fields.phone")}</dt>
          <dd>{record.candidate.phone ?? "—"}</dd>
          <dt>{translate("resources.candidates.fields.source")}</dt>
          <dd>{record.candidate.source}</dd>
          <dt>{translate("hiring.applications.rating")}</dt>
          <dd>
            {record.average_rating === null || record.average_rating === undefined
              ? translate("hiring.applications.no_rating", { expected: rating(record.expected_rating) })
              : translate("hiring.pipeline.rating", {
                  rating: rating(record.average_rating),
                  expected: rating(record.expected_rating),
                })}
          </dd>
        </Box>
        {record.employee_id && (
          <Alert severity="success" sx={{ mt: 1 }}>
            {translate("hiring.applications.hired", { name })}{" "}
            <Link to={`/employees/${encodeURIComponent(record.employee_id)}/show`}>
              {translate("hiring.offers.employee_named", { name })}
            </Link>
          </Alert>
        )}
        {record.reason && (
          <Alert severity="info" sx={{ mt: 1 }}>
            {record.reason}
          </Alert>
        )}
        {stages && (
          <Stack direction="row" spacing={1} sx={{ mt: 1, flexWrap: "wrap" }}>
            <StageButtons application={record} stages={stages} offerLink={false} />
          </Stack>
        )}
      </Part>
      <Offers application={record} opening={opening.data} />
      <ApplicationInterviews applicationId={record.id} active={record.status === "active"} />
      <History application={record} />
    </Stack>
  );
}
