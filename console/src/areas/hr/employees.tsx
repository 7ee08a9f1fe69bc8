import {
  Datagrid,
  DateField,
  List,
  SearchInput,
  SelectInput,
  Show,
  SimpleShowLayout,
  TextField,
  TextInput,
  useTranslate,
} from "react-admin";

const STATUSES = ["active", "on_leave", "terminated"].map((id) => ({ id, name: id }));

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="status" source="status" choices={STATUSES} />,
  <TextInput key="department_id" source="department_id" />,
  <TextInput key="manager_id" source="manager_id" />,
];

/** HR's list of everyone, searchable, filtered by status, department and manager, paged over thousands. */
export function EmployeeList() {
  return (
    <List filters={filters} perPage={50} sort={{ field: "", order: "ASC" }}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="id" sortable={false} />
        <TextField source="given_name" sortable={false} />
        <TextField source="family_name" sortable={false} />
        <TextField source="position" sortable={false} />
        <TextField source="department" sortable={false} />
        <TextField source="status" sortable={false} />
        <DateField source="start_date" sortable={false} />
      </Datagrid>
    </List>
  );
}

export function EmployeeShow() {
  const translate = useTranslate();
  return (
    <Show title={translate("resources.employees.name", { smart_count: 1 })}>
      <SimpleShowLayout>
        <TextField source="id" />
        <TextField source="given_name" />
        <TextField source="family_name" />
        <TextField source="email" />
        <TextField source="position" />
        <TextField source="department" />
        <TextField source="manager_id" />
        <TextField source="status" />
        <DateField source="start_date" />
        <DateField source="end_date" />
      </SimpleShowLayout>
    </Show>
  );
}
