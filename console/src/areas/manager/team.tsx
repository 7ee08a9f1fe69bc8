/**
 * A manager's team: their reports (the API shows a manager their reports and themself; the list asks for those
 * they manage), each report's page with the warnings the manager issued, and issuing a warning to a report.
 */
import {
  Datagrid,
  EmailField,
  List,
  Pagination,
  ReferenceManyField,
  SearchInput,
  SelectField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  useGetIdentity,
  useRecordContext,
  useTranslate,
} from "react-admin";
import { Typography } from "@mui/material";
import type { components } from "../../api/schema";
import { Loading } from "../../components/States";
import { IssueWarningLink } from "../hr/employees";
import { WarningCreate, WarningList } from "../hr/discipline";
import {
  CATEGORIES,
  DayField,
  fullName,
  MomentField,
  NameField,
  SEVERITIES,
  STATUSES,
  WarningStateField,
} from "../hr/shared";

type Employee = components["schemas"]["hr_EmployeeRead"];

const filters = [<SearchInput key="q" source="q" alwaysOn />];

export function TeamList() {
  const { identity, isPending } = useGetIdentity();
  if (isPending) return <Loading />;
  return (
    <List
      filters={filters}
      filter={{ manager_id: identity?.employeeId ?? "-" }}
      perPage={50}
      sort={{ field: "", order: "ASC" }}
      exporter={false}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <NameField label="resources.employees.fields.name" />
        <TextField source="position" sortable={false} />
        <TextField source="email" sortable={false} />
        <SelectField source="status" choices={STATUSES} sortable={false} />
        <DayField source="start_date" />
      </Datagrid>
    </List>
  );
}

function MemberTitle() {
  const record = useRecordContext<Employee>();
  return <span>{fullName(record)}</span>;
}

function MemberActions() {
  const record = useRecordContext<Employee>();
  if (!record || record.status === "terminated") return null;
  return (
    <TopToolbar>
      <IssueWarningLink employeeId={record.id} to="/team_warnings/create" />
    </TopToolbar>
  );
}

export function TeamShow() {
  const translate = useTranslate();
  return (
    <Show title={<MemberTitle />} actions={<MemberActions />}>
      <SimpleShowLayout>
        <NameField label="resources.employees.fields.name" />
        <EmailField source="email" />
        <TextField source="position" emptyText="—" />
        <TextField source="department" emptyText="—" />
        <SelectField source="status" choices={STATUSES} />
        <DayField source="start_date" />
        <Heading label={false} text={translate("manager.issued_to_them")} />
        <ReferenceManyField
          reference="team_warnings"
          target="employee_id"
          label={false}
          perPage={20}
          pagination={<Pagination rowsPerPageOptions={[20]} />}
        >
          <Datagrid
            bulkActionButtons={false}
            rowClick={false}
            empty={<Typography sx={{ p: 2 }}>{translate("manager.no_warnings")}</Typography>}
          >
            <DayField source="occurred_on" />
            <SelectField source="category" choices={CATEGORIES} sortable={false} />
            <SelectField source="severity" choices={SEVERITIES} sortable={false} />
            <TextField source="facts" sortable={false} />
            <MomentField source="acknowledge_by" />
            <WarningStateField label="resources.team_warnings.fields.state" />
          </Datagrid>
        </ReferenceManyField>
      </SimpleShowLayout>
    </Show>
  );
}

function Heading({ text }: { label?: false; text: string }) {
  return (
    <Typography component="h2" variant="h6">
      {text}
    </Typography>
  );
}

export function TeamWarningList() {
  return <WarningList people="team" />;
}

export function TeamWarningCreate() {
  const { identity, isPending } = useGetIdentity();
  if (isPending) return <Loading />;
  return (
    <WarningCreate
      people="team"
      peopleFilter={{ manager_id: identity?.employeeId ?? "-" }}
      after={(id) => `/team/${encodeURIComponent(id)}/show`}
    />
  );
}
