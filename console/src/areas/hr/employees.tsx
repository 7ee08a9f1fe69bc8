import { useState } from "react";
import { Link as RouterLink } from "react-router-dom";
import { Alert, Box, Button as MuiButton, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from "@mui/material";
import EuroIcon from "@mui/icons-material/Euro";
import LogoutIcon from "@mui/icons-material/Logout";
import GavelIcon from "@mui/icons-material/Gavel";
import {
  ArrayField,
  AutocompleteInput,
  CreateButton,
  Datagrid,
  DateInput,
  EmailField,
  FilterButton,
  Form,
  FunctionField,
  List,
  Pagination,
  ReferenceField,
  ReferenceInput,
  ReferenceManyField,
  required,
  SaveButton,
  SearchInput,
  SelectField,
  SelectInput,
  Show,
  TabbedShowLayout,
  TabbedShowLayoutTabs,
  TextField,
  TextInput,
  TopToolbar,
  useLocaleState,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
  useTranslate,
} from "react-admin";
import { fillPath } from "../../api/resources";
import { DeclaredSex } from "../../components/DeclaredSex";
import { formatDate } from "../../format";
import type { components } from "../../api/schema";
import { HR_ACTIONS } from "./resources";
import { PayHoursInputs } from "./payhours";
import { CasePanel } from "./discipline";
import {
  DayField,
  DepartmentInput,
  DownloadButton,
  EMPLOYMENT_TYPES,
  FREQUENCIES,
  fullName,
  MomentField,
  MoneyField,
  NameField,
  STATUSES,
  TERMINATION_KINDS,
  TIMESHEET_STATUSES,
  CATEGORIES,
  SEVERITIES,
  today,
  useActionSubmit,
  useConfirmation,
  useDataApi,
  WarningStateField,
} from "./shared";

type Employee = components["schemas"]["hr_EmployeeRead"];

const personText = (record: Employee) => `${fullName(record)} (${record.email})`;

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <DepartmentInput key="department_id" source="department_id" alwaysOn />,
  <SelectInput key="status" source="status" choices={STATUSES} alwaysOn />,
  <ReferenceInput key="manager_id" source="manager_id" reference="employees">
    <AutocompleteInput optionText={personText} filterToQuery={(q: string) => ({ q })} />
  </ReferenceInput>,
];

function ListActions() {
  const translate = useTranslate();
  return (
    <TopToolbar>
      <FilterButton />
      <CreateButton label={translate("hr.hire.button")} />
    </TopToolbar>
  );
}

/** HR's list of everyone, searchable, filtered by department, status and manager, paged over thousands. */
export function EmployeeList() {
  return (
    <List filters={filters} perPage={50} sort={{ field: "", order: "ASC" }} actions={<ListActions />}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="given_name" sortable={false} />
        <TextField source="family_name" sortable={false} />
        <TextField source="position" sortable={false} />
        <TextField source="department" sortable={false} />
        <SelectField source="status" choices={STATUSES} sortable={false} />
        <DayField source="start_date" />
      </Datagrid>
    </List>
  );
}

function EmployeeTitle() {
  const record = useRecordContext<Employee>();
  const translate = useTranslate();
  return <span>{record ? fullName(record) : translate("resources.employees.name", { smart_count: 1 })}</span>;
}

function EmployeeActions() {
  const record = useRecordContext<Employee>();
  if (!record) return null;
  const gone = record.status === "terminated" || Boolean(record.termination);
  return (
    <TopToolbar>
      {!gone && <PayTermsButton employee={record} />}
      {!gone && <IssueWarningLink employeeId={record.id} />}
      {!gone && <TerminateButton employee={record} />}
    </TopToolbar>
  );
}

export function IssueWarningLink({ employeeId, to = "/hr_warnings/create" }: { employeeId: string; to?: string }) {
  const translate = useTranslate();
  return (
    <MuiButton
      component={RouterLink}
      to={to}
      state={{ record: { employee_id: employeeId } }}
      startIcon={<GavelIcon />}
      size="small"
    >
      {translate("hr.warnings.issue")}
    </MuiButton>
  );
}

/** An employee's page: details, manager, pay terms, termination, timesheets, discipline and documents. */
export function EmployeeShow() {
  const translate = useTranslate();
  return (
    <Show title={<EmployeeTitle />} actions={<EmployeeActions />}>
      <TabbedShowLayout tabs={<TabbedShowLayoutTabs variant="scrollable" scrollButtons="auto" />}>
        <TabbedShowLayout.Tab label={translate("hr.employee.tabs.details")}>
          <NameField label="resources.employees.fields.name" />
          <TextField source="id" />
          <EmailField source="email" />
          <TextField source="phone" emptyText="—" />
          <TextField source="position" emptyText="—" />
          <TextField source="department" emptyText="—" />
          <SelectField source="employment_type" choices={EMPLOYMENT_TYPES} />
          <SelectField source="status" choices={STATUSES} />
          <DayField source="start_date" />
          <DayField source="end_date" />
          <DeclaredSexPanel label={false} />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label={translate("hr.employee.tabs.manager")} path="manager">
          <ManagerPanel label={false} />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label={translate("hr.employee.tabs.pay")} path="pay">
          <PayHistory label={false} />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label={translate("hr.employee.tabs.termination")} path="termination">
          <TerminationPanel label={false} />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label={translate("hr.employee.tabs.timesheets")} path="timesheets">
          <ReferenceManyField
            reference="hr_timesheets"
            target="employee_id"
            label={false}
            perPage={20}
            pagination={<Pagination rowsPerPageOptions={[20]} />}
          >
            <Datagrid bulkActionButtons={false} rowClick={false} empty={<NoneYet what="timesheets" />}>
              <DayField source="week_start" />
              <TextField source="version" sortable={false} />
              <SelectField source="status" choices={TIMESHEET_STATUSES} sortable={false} />
              <TextField source="total_hours" sortable={false} />
              <MomentField source="submitted_at" />
              <TextField source="decision_reason" sortable={false} emptyText="—" />
            </Datagrid>
          </ReferenceManyField>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label={translate("hr.employee.tabs.discipline")} path="discipline">
          <CasePanel label={false} />
          <ReferenceManyField
            reference="hr_warnings"
            target="employee_id"
            label={false}
            perPage={20}
            pagination={<Pagination rowsPerPageOptions={[20]} />}
          >
            <Datagrid bulkActionButtons={false} rowClick={false} empty={<NoneYet what="warnings" />}>
              <DayField source="occurred_on" />
              <SelectField source="category" choices={CATEGORIES} sortable={false} />
              <SelectField source="severity" choices={SEVERITIES} sortable={false} />
              <TextField source="facts" sortable={false} />
              <MomentField source="acknowledge_by" />
              <WarningStateField label="resources.hr_warnings.fields.state" />
              <TextField source="response" sortable={false} emptyText="—" />
            </Datagrid>
          </ReferenceManyField>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label={translate("hr.employee.tabs.documents")} path="documents">
          <ReferenceManyField
            reference="hr_documents"
            target="employee_id"
            label={false}
            perPage={20}
            pagination={<Pagination rowsPerPageOptions={[20]} />}
          >
            <Datagrid bulkActionButtons={false} rowClick={false} empty={<NoneYet what="documents" />}>
              <TextField source="title" sortable={false} />
              <TextField source="type" sortable={false} />
              <MomentField source="created_at" />
              <DownloadButton />
            </Datagrid>
          </ReferenceManyField>
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  );
}

/** The declared sex, from its own endpoint (never the record's): HR and admins only. */
function DeclaredSexPanel(_: { label?: false }) {
  const record = useRecordContext<Employee>();
  const { permissions } = usePermissions<string[]>();
  if (!record || !permissions?.some((role) => role === "hr" || role === "admin")) return null;
  return <DeclaredSex employeeId={String(record.id)} />;
}

function NoneYet({ what }: { what: string }) {
  const translate = useTranslate();
  return <Typography sx={{ p: 2 }}>{translate(`hr.employee.none.${what}`)}</Typography>;
}

function ManagerPanel(_: { label?: false }) {
  const record = useRecordContext<Employee>();
  const translate = useTranslate();
  if (!record) return null;
  if (!record.manager_id) return <Typography>{translate("hr.employee.no_manager")}</Typography>;
  return (
    <ReferenceField source="manager_id" reference="employees" link={false}>
      <ManagerCard />
    </ReferenceField>
  );
}

function ManagerCard() {
  const manager = useRecordContext<Employee>();
  const translate = useTranslate();
  if (!manager) return null;
  return (
    <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: 1, m: 0 }}>
      <dt>{translate("resources.employees.fields.name")}</dt>
      <dd>
        <RouterLink to={`/employees/${encodeURIComponent(manager.id)}/show`}>{fullName(manager)}</RouterLink>
      </dd>
      <dt>{translate("resources.employees.fields.position")}</dt>
      <dd>{manager.position ?? "—"}</dd>
      <dt>{translate("resources.employees.fields.email")}</dt>
      <dd>{manager.email}</dd>
      <dt>{translate("resources.employees.fields.department")}</dt>
      <dd>{manager.department ?? "—"}</dd>
    </Box>
  );
}

function PayHistory(_: { label?: false }) {
  const record = useRecordContext<Employee>();
  const translate = useTranslate();
  if (!record) return null;
  if (!record.pay_history?.length) return <Typography>{translate("hr.pay_terms.none")}</Typography>;
  const current = record.pay_terms?.effective_from;
  return (
    <ArrayField source="pay_history" label={false}>
      <Datagrid bulkActionButtons={false} rowClick={false} aria-label={translate("hr.pay_terms.history")}>
        <DayField source="effective_from" label="hr.pay_terms.effective_from" />
        <SelectField source="pay_type" choices={EMPLOYMENT_TYPES} label="hr.pay_terms.pay_type" sortable={false} />
        <MoneyField source="rate" currency="currency" label="hr.pay_terms.rate" />
        <SelectField source="frequency" choices={FREQUENCIES} label="hr.pay_terms.frequency" sortable={false} />
        <TextField source="weekly_hours" label="hr.pay_hours.weekly_hours" sortable={false} emptyText="" />
        <TextField source="agreement_group" label="hr.pay_hours.agreement_group" sortable={false} emptyText="" />
        <FunctionField
          label="hr.pay_terms.in_force"
          render={(terms: { effective_from: string }) =>
            terms.effective_from === current
              ? translate("hr.pay_terms.current")
              : terms.effective_from > (current ?? "")
                ? translate("hr.pay_terms.future")
                : translate("hr.pay_terms.past")
          }
        />
      </Datagrid>
    </ArrayField>
  );
}

function TerminationPanel(_: { label?: false }) {
  const record = useRecordContext<Employee>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!record) return null;
  const ended = record.termination;
  if (!ended) return <Typography>{translate("hr.termination.none")}</Typography>;
  const kind = TERMINATION_KINDS.find((k) => k.id === ended.kind);
  return (
    <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: 1, m: 0 }}>
      <dt>{translate("hr.termination.effective_date")}</dt>
      <dd>{formatDate(ended.effective_date, locale)}</dd>
      <dt>{translate("hr.termination.kind")}</dt>
      <dd>{kind ? translate(kind.name) : ended.kind}</dd>
      <dt>{translate("hr.termination.reason")}</dt>
      <dd>{ended.reason}</dd>
      <dt>{translate("hr.termination.recorded")}</dt>
      <dd>{formatDate(ended.created_at, locale)}</dd>
    </Box>
  );
}

/** New pay terms from a date: the earlier terms stay in the history. */
function PayTermsButton({ employee }: { employee: Employee }) {
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  const data = useDataApi();
  const refresh = useRefresh();
  const notify = useNotify();
  const submit = useActionSubmit(async (values: Record<string, string>) => {
    await data.post(fillPath(HR_ACTIONS.payTerms, employee.id), {
      effective_from: values.effective_from,
      pay_type: employee.employment_type,
      rate: values.rate,
      currency: values.currency,
      frequency: values.frequency,
      weekly_hours: values.weekly_hours || null,
      agreement_group: values.agreement_group || null,
    });
    setOpen(false);
    notify("hr.pay_terms.done", { type: "success" });
    refresh();
  });
  const current = employee.pay_terms;
  return (
    <>
      <MuiButton size="small" startIcon={<EuroIcon />} onClick={() => setOpen(true)}>
        {translate("hr.pay_terms.change")}
      </MuiButton>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby="pay-terms-title" fullWidth maxWidth="sm">
        <DialogTitle id="pay-terms-title">
          {translate("hr.pay_terms.title", { name: fullName(employee) })}
        </DialogTitle>
        <Form
          onSubmit={submit}
          record={{
            effective_from: today(),
            rate: current?.rate ?? "",
            currency: current?.currency ?? "EUR",
            frequency: current?.frequency ?? "monthly",
            weekly_hours: current?.weekly_hours ?? "",
            agreement_group: current?.agreement_group ?? "",
          }}
        >
          <DialogContent>
            <Typography sx={{ mb: 2 }}>{translate("hr.pay_terms.explain")}</Typography>
            <DateInput source="effective_from" label="hr.pay_terms.effective_from" validate={required()} fullWidth />
            <TextInput
              source="rate"
              label="hr.pay_terms.rate"
              helperText={translate(
                employee.employment_type === "hourly" ? "hr.pay_terms.rate_hourly" : "hr.pay_terms.rate_salaried",
              )}
              validate={required()}
              fullWidth
            />
            <TextInput source="currency" label="hr.pay_terms.currency" validate={required()} fullWidth />
            <SelectInput
              source="frequency"
              label="hr.pay_terms.frequency"
              choices={FREQUENCIES}
              validate={required()}
              fullWidth
            />
            <PayHoursInputs prefix="" />
          </DialogContent>
          <DialogActions>
            <MuiButton onClick={() => setOpen(false)}>{translate("ra.action.cancel")}</MuiButton>
            <SaveButton label={translate("hr.pay_terms.submit")} alwaysEnable />
          </DialogActions>
        </Form>
      </Dialog>
    </>
  );
}

/** Ending an employment: a form, then a confirmation saying what follows. */
function TerminateButton({ employee }: { employee: Employee }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [open, setOpen] = useState(false);
  const data = useDataApi();
  const refresh = useRefresh();
  const notify = useNotify();
  const { ask, dialog } = useConfirmation();
  const submit = useActionSubmit(async (values: Record<string, string>) => {
    const name = fullName(employee);
    const sure = await ask(
      translate("hr.termination.confirm_title", { name }),
      <Box>
        <Typography>
          {translate("hr.termination.confirm_intro", { name, date: formatDate(values.effective_date, locale) })}
        </Typography>
        <ul>
          <li>{translate("hr.termination.consequence_pay")}</li>
          <li>{translate("hr.termination.consequence_login")}</li>
          <li>{translate("hr.termination.consequence_offboarding")}</li>
          <li>{translate("hr.termination.consequence_record")}</li>
        </ul>
      </Box>,
    );
    if (!sure) return;
    await data.post(fillPath(HR_ACTIONS.termination, employee.id), values);
    setOpen(false);
    notify("hr.termination.done", { type: "success" });
    refresh();
  });
  return (
    <>
      <MuiButton size="small" color="error" startIcon={<LogoutIcon />} onClick={() => setOpen(true)}>
        {translate("hr.termination.button")}
      </MuiButton>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby="terminate-title" fullWidth maxWidth="sm">
        <DialogTitle id="terminate-title">{translate("hr.termination.title", { name: fullName(employee) })}</DialogTitle>
        <Form onSubmit={submit} record={{ effective_date: today(), kind: "voluntary", reason: "" }}>
          <DialogContent>
            <Alert severity="warning" sx={{ mb: 2 }}>
              {translate("hr.termination.explain")}
            </Alert>
            <DateInput source="effective_date" label="hr.termination.effective_date" validate={required()} fullWidth />
            <SelectInput
              source="kind"
              label="hr.termination.kind"
              choices={TERMINATION_KINDS}
              validate={required()}
              fullWidth
            />
            <TextInput source="reason" label="hr.termination.reason" multiline minRows={2} validate={required()} fullWidth />
          </DialogContent>
          <DialogActions>
            <MuiButton onClick={() => setOpen(false)}>{translate("ra.action.cancel")}</MuiButton>
            <SaveButton label={translate("hr.termination.submit")} alwaysEnable icon={<LogoutIcon />} />
          </DialogActions>
        </Form>
      </Dialog>
      {dialog}
    </>
  );
}
