import { Alert, Box, Stack } from "@mui/material";
import {
  CreateButton,
  Create,
  Datagrid,
  DateInput,
  FilterButton,
  FunctionField,
  List,
  NumberInput,
  required,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  Title,
  TopToolbar,
  useDataProvider,
  useShowController,
  useTranslate,
  regex,
  minValue,
  maxValue,
} from "react-admin";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Failed, Loading } from "../../components/States";
import { HIRING_PATHS } from "./resources";
import {
  ConfirmAction,
  DayField,
  DepartmentField,
  DepartmentInput,
  DepartmentName,
  EmployeeField,
  EmployeeInput,
  EmployeeName,
  Part,
  StateChip,
  StateField,
  path,
  useAction,
  useFormat,
  useWord,
  type Opening,
  ListEmpty,
} from "./common";
import { Pipeline } from "./pipeline";

const STATUSES = ["draft", "open", "on_hold", "filled", "cancelled"];
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

function StatusFilter(props: { source: string; alwaysOn?: boolean }) {
  const word = useWord();
  return <SelectInput {...props} choices={STATUSES.map((id) => ({ id, name: word("opening_status", id) }))} />;
}

const filters = [<StatusFilter key="status" source="status" alwaysOn />];

function SalaryRange({ record }: { record: Opening }) {
  const { money } = useFormat();
  return (
    <span>
      {money(record.salary_min, record.currency)} – {money(record.salary_max, record.currency)}
    </span>
  );
}

/** Openings, newest first, by status: what HR is recruiting for. */
export function OpeningList() {
  return (
    <List
      filters={filters}
      empty={<ListEmpty create />}
      perPage={50}
      sort={{ field: "", order: "ASC" }}
      actions={
        <TopToolbar>
          <FilterButton />
          <CreateButton />
        </TopToolbar>
      }
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="position" sortable={false} />
        <DepartmentField source="department_id" sortable={false} />
        <FunctionField
          source="hires"
          sortable={false}
          render={(record: Opening) => `${record.hires} / ${record.headcount}`}
        />
        <FunctionField
          source="salary_min"
          label="resources.openings.fields.salary_range"
          sortable={false}
          render={(record: Opening) => <SalaryRange record={record} />}
        />
        <EmployeeField source="hiring_manager_id" sortable={false} />
        <StateField source="status" group="opening_status" sortable={false} />
        <DayField source="closing_date" sortable={false} />
      </Datagrid>
    </List>
  );
}

/** Empty inputs are sent as nothing (no department, no closing date), amounts as the exact text typed. */
function openingBody(data: Record<string, unknown>) {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (value !== "" && value !== null) body[key] = value;
  if (typeof body.currency === "string") body.currency = body.currency.toUpperCase();
  return body;
}

/** Drafting an opening: it opens once HR approves it (on its page). */
export function OpeningCreate() {
  const translate = useTranslate();
  const amount = [required(), regex(AMOUNT, "hiring.common.amount_format")];
  return (
    <Create redirect="show" transform={openingBody} title={translate("hiring.openings.create")}>
      <SimpleForm defaultValues={{ headcount: 1, currency: "EUR", expected_rating: "3.5" }}>
        <TextInput source="position" validate={required()} />
        <DepartmentInput source="department_id" emptyText="hiring.common.no_department" />
        <NumberInput source="headcount" min={1} max={1000} validate={[required(), minValue(1), maxValue(1000)]} />
        <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
          <TextInput source="salary_min" validate={amount} inputProps={{ inputMode: "decimal" }} />
          <TextInput source="salary_max" validate={amount} inputProps={{ inputMode: "decimal" }} />
          <TextInput source="currency" validate={[required(), regex(/^[A-Za-z]{3}$/, "hiring.common.currency_format")]} />
        </Box>
        <EmployeeInput source="hiring_manager_id" label="resources.openings.fields.hiring_manager_id" validate={required()} />
        <TextInput source="expected_rating" helperText="hiring.openings.expected_rating_help" />
        <DateInput source="closing_date" />
      </SimpleForm>
    </Create>
  );
}

/** What HR may do with an opening in its state, each asked first: approve, hold, reopen, cancel. */
function OpeningActions({ opening }: { opening: Opening }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run } = useAction();
  const { money } = useFormat();
  const approve = () =>
    run(() => dataProvider.post(path(HIRING_PATHS.openingApprove, opening.id)), translate("hiring.openings.approved"));
  const change = (status: "open" | "on_hold" | "cancelled") => () =>
    run(
      () => dataProvider.post(path(HIRING_PATHS.openingStatus, opening.id), { status }),
      translate(`hiring.openings.changed.${status}`),
    );
  const named = { position: opening.position };
  return (
    <Stack direction="row" spacing={1} sx={{ flexWrap: "wrap" }}>
      {opening.status === "draft" && (
        <ConfirmAction
          variant="contained"
          label={translate("hiring.openings.approve")}
          title={translate("hiring.openings.approve_title", named)}
          content={translate("hiring.openings.approve_content", {
            ...named,
            headcount: opening.headcount,
            range: `${money(opening.salary_min, opening.currency)} – ${money(opening.salary_max, opening.currency)}`,
          })}
          onConfirm={approve}
        />
      )}
      {opening.status === "open" && (
        <ConfirmAction
          label={translate("hiring.openings.hold")}
          title={translate("hiring.openings.hold_title", named)}
          content={translate("hiring.openings.hold_content")}
          onConfirm={change("on_hold")}
        />
      )}
      {opening.status === "on_hold" && (
        <ConfirmAction
          label={translate("hiring.openings.reopen")}
          title={translate("hiring.openings.reopen_title", named)}
          content={translate("hiring.openings.reopen_content")}
          onConfirm={change("open")}
        />
      )}
      {["draft", "open", "on_hold"].includes(opening.status) && (
        <ConfirmAction
          label={translate("hiring.openings.cancel")}
          title={translate("hiring.openings.cancel_title", named)}
          content={translate("hiring.openings.cancel_content")}
          onConfirm={change("cancelled")}
          color="error"
        />
      )}
    </Stack>
  );
}

/** An opening: its terms, what may be done with it, and its pipeline board. */
export function OpeningShow() {
  const translate = useTranslate();
  const { record, isPending, error, refetch } = useShowController<Opening & { id: string }>();
  const { day, money, rating } = useFormat();
  if (isPending) return <Loading />;
  if (error || !record) return <Failed error={error} retry={() => refetch()} />;
  const field = (name: string) => translate(`resources.openings.fields.${name}`);
  return (
    <Stack spacing={2} sx={{ mt: 2, minWidth: 0 }}>
      <Title title={`${translate("resources.openings.name", { smart_count: 1 })}: ${record.position}`} />
      <Part
        title={`${translate("resources.openings.name", { smart_count: 1 })}: ${record.position}`}
        actions={<OpeningActions opening={record} />}
      >
        <Box
          component="dl"
          sx={{ display: "grid", gridTemplateColumns: "max-content 1fr max-content 1fr", gap: 1, m: 0 }}
        >
          <dt>{field("status")}</dt>
          <dd>
            <StateChip group="opening_status" value={record.status} />
          </dd>
          <dt>{field("department_id")}</dt>
          <dd>
            <DepartmentName id={record.department_id} />
          </dd>
          <dt>{field("hires")}</dt>
          <dd>{`${record.hires} / ${record.headcount}`}</dd>
          <dt>{field("salary_range")}</dt>
          <dd>{`${money(record.salary_min, record.currency)} – ${money(record.salary_max, record.currency)}`}</dd>
          <dt>{field("hiring_manager_id")}</dt>
          <dd>
            <EmployeeName id={record.hiring_manager_id} />
          </dd>
          <dt>{field("expected_rating")}</dt>
          <dd>{rating(record.expected_rating)}</dd>
          <dt>{field("closing_date")}</dt>
          <dd>{day(record.closing_date) || "—"}</dd>
          <dt>{field("created_at")}</dt>
          <dd>{day(record.created_at)}</dd>
        </Box>
        {record.status === "draft" && (
          <Alert severity="info" sx={{ mt: 1 }}>
            {translate("hiring.openings.draft_note")}
          </Alert>
        )}
      </Part>
      <Pipeline opening={record} />
    </Stack>
  );
}
