/**
 * Onboarding and offboarding: the checklist templates (one per kind and department, edited whole), a
 * person's checklists with what is done and what is late, and every late task.
 */
import { Box, Button, Stack } from "@mui/material";
import {
  ArrayInput,
  Datagrid,
  DateInput,
  Form,
  FunctionField,
  List,
  ListContextProvider,
  NumberInput,
  ResourceContextProvider,
  SelectInput,
  SimpleForm,
  SimpleFormIterator,
  TextField,
  TextInput,
  Title,
  TopToolbar,
  maxValue,
  minValue,
  required,
  useDataProvider,
  useList,
  useListContext,
  useRecordContext,
  useTranslate,
} from "react-admin";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { HIRING_PATHS } from "./resources";
import {
  DayField,
  DepartmentField,
  DepartmentInput,
  EmployeeField,
  EmployeeInput,
  EmployeeName,
  MomentField,
  Part,
  StateChip,
  StateField,
  path,
  today,
  useAction,
  useApi,
  useWord,
  type Page,
  type Task,
  type Template,
  type Values,
  ListEmpty,
  named,
  SubmitBar,
} from "./common";

const KINDS = ["onboarding", "offboarding"];
const OWNERS = ["hr", "it_agent", "manager", "employee", "office", "payroll"];
const EVENTS = ["helpdesk.ticket_resolved", "docs.document_filed"];

function templateLink(kind: string, departmentId: string | null | undefined) {
  const query = new URLSearchParams({ kind });
  if (departmentId) query.set("department", departmentId);
  return `/checklists/templates/edit?${query}`;
}

/** The templates a hire's and a termination's checklists are made from. */
export function TemplateList() {
  const translate = useTranslate();
  return (
    <List
      resource="checklist_templates"
      title={translate("hiring.checklists.templates")}
      perPage={100}
      sort={{ field: "", order: "ASC" }}
      actions={
        <TopToolbar>
          <Button component={Link} to="/checklists/templates/edit?kind=onboarding" variant="contained">
            {translate("hiring.checklists.new_template")}
          </Button>
        </TopToolbar>
      }
      empty={<ListEmpty />}
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <StateField source="kind" group="kind" sortable={false} />
        <DepartmentField source="department_id" sortable={false} none="hiring.common.every_department" />
        <FunctionField
          source="tasks"
          sortable={false}
          render={(t: Template) => t.tasks.map((task) => task.title).join(", ")}
        />
        <MomentField source="created_at" sortable={false} />
        <FunctionField
          label="hiring.candidates.actions"
          render={(t: Template) => (
            <Button
              size="small"
              component={Link}
              to={templateLink(t.kind, t.department_id)}
              aria-label={translate("hiring.checklists.edit_named", {
                kind: translate(`hiring.kind.${t.kind}`),
              })}
            >
              {translate("ra.action.edit")}
            </Button>
          )}
        />
      </Datagrid>
    </List>
  );
}

/** Setting a department's (or the company's) checklist of one kind: saving replaces the template whole. */
export function TemplateEdit() {
  const translate = useTranslate();
  const word = useWord();
  const navigate = useNavigate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run } = useAction();
  const [params] = useSearchParams();
  const kind = params.get("kind") ?? "onboarding";
  const department = params.get("department");
  const templates = useApi<Page<Template>>(HIRING_PATHS.templates, { limit: 100 });
  if (templates.isPending) return <Loading />;
  if (templates.error) return <Failed error={templates.error} retry={() => templates.refetch()} />;
  const found = templates.data.items.find((t) => t.kind === kind && (t.department_id ?? null) === department);
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={translate("hiring.checklists.edit_title")} />
      <Part title={translate("hiring.checklists.edit_title")}>
        <ResourceContextProvider value="checklist_templates">
          <SimpleForm
            toolbar={<SubmitBar label="ra.action.save" />}
            key={found?.id ?? `${kind}-${department}`}
            sx={{ p: 0 }}
            defaultValues={{
              kind,
              department_id: department ?? "",
              tasks: found?.tasks ?? [{ title: "", owner_role: "hr", due_offset_days: 0, done_on_event: "" }],
            }}
            onSubmit={(values: Values) =>
              run(
                () =>
                  dataProvider.put(HIRING_PATHS.templates, {
                    kind: values.kind,
                    department_id: values.department_id || null,
                    tasks: (values.tasks as Record<string, unknown>[]).map((task) => ({
                      title: task.title,
                      owner_role: task.owner_role,
                      due_offset_days: Number(task.due_offset_days),
                      done_on_event: task.done_on_event || null,
                    })),
                  }),
                translate("hiring.checklists.saved"),
                () => navigate("/checklists/templates"),
              )
            }
          >
            <SelectInput
              source="kind"
              label="resources.checklist_templates.fields.kind"
              choices={KINDS.map((id) => ({ id, name: word("kind", id) }))}
              validate={required()}
            />
            <DepartmentInput
              source="department_id"
              label="resources.checklist_templates.fields.department_id"
              emptyText="hiring.common.every_department"
              helperText="hiring.checklists.department_help"
            />
            <ArrayInput source="tasks" label="resources.checklist_templates.fields.tasks" validate={required()}>
              <SimpleFormIterator inline disableReordering>
                <TextInput source="title" label="hiring.checklists.task_title" validate={required()} />
                <SelectInput
                  source="owner_role"
                  label="hiring.checklists.owner_role"
                  choices={OWNERS.map((id) => ({ id, name: word("owner", id) }))}
                  validate={required()}
                />
                <NumberInput
                  source="due_offset_days"
                  label="hiring.checklists.due_offset_days"
                  validate={[required(), minValue(-90), maxValue(365)]}
                />
                <SelectInput
                  source="done_on_event"
                  label="hiring.checklists.done_on_event"
                  choices={EVENTS.map((id) => ({ id, name: word("event", id.replace(".", "_")) }))}
                  emptyText="hiring.checklists.by_hand"
                />
              </SimpleFormIterator>
            </ArrayInput>
          </SimpleForm>
        </ResourceContextProvider>
      </Part>
    </Box>
  );
}

function DoneButton({ task }: { task: Task }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run, busy } = useAction();
  if (task.status !== "open") return null;
  return (
    <Button
      size="small"
      variant="outlined"
      disabled={busy}
      aria-label={named(translate("hiring.checklists.mark_done"), task.title)}
      onClick={(event) => {
        event.stopPropagation();
        void run(() => dataProvider.post(path(HIRING_PATHS.taskDone, task.id)), translate("hiring.checklists.done"));
      }}
    >
      {translate("hiring.checklists.mark_done")}
    </Button>
  );
}

function Tasks({ tasks }: { tasks: Task[] }) {
  const word = useWord();
  const list = useList({ data: tasks.map((t) => ({ ...t })), perPage: 1000 });
  return (
    <ListContextProvider value={list}>
      <Datagrid resource="checklist_tasks" bulkActionButtons={false} rowClick={false}>
        <TextField source="title" sortable={false} />
        <StateField source="kind" group="kind" sortable={false} />
        <FunctionField source="owner_role" sortable={false} render={(t: Task) => word("owner", t.owner_role)} />
        <DayField source="due_date" sortable={false} />
        <FunctionField
          source="status"
          sortable={false}
          render={(t: Task) => (
            <Stack direction="row" spacing={0.5}>
              <StateChip group="task_status" value={t.status} />
              {t.late && <StateChip group="task_status" value="late" />}
            </Stack>
          )}
        />
        <MomentField source="done_at" sortable={false} />
        <FunctionField label="hiring.candidates.actions" render={(t: Task) => <DoneButton task={t} />} />
      </Datagrid>
    </ListContextProvider>
  );
}

/** A person's onboarding and offboarding checklists: pick the person, see each task done, open or late. */
export function PersonChecklist() {
  const translate = useTranslate();
  const navigate = useNavigate();
  const { employeeId } = useParams();
  const tasks = useApi<Page<Task>>(employeeId ? path(HIRING_PATHS.employeeChecklist, employeeId) : null, {
    limit: 200,
  });
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={translate("hiring.checklists.person")} />
      <Part title={translate("hiring.checklists.person")}>
        <Form key={employeeId ?? "none"} defaultValues={{ employee_id: employeeId ?? "" }}>
          <Box sx={{ maxWidth: 420 }}>
            <EmployeeInput
              source="employee_id"
              label="hiring.checklists.employee"
              onChange={(value: string) => value && navigate(`/checklists/people/${encodeURIComponent(value)}`)}
            />
          </Box>
        </Form>
        {employeeId && (
          <Box sx={{ mb: 1 }}>
            <EmployeeName id={employeeId} />
          </Box>
        )}
        {!employeeId ? (
          <Empty message={translate("hiring.checklists.choose_person")} />
        ) : tasks.isPending ? (
          <Loading />
        ) : tasks.error ? (
          <Failed error={tasks.error} retry={() => tasks.refetch()} />
        ) : tasks.data.items.length === 0 ? (
          <Empty message={translate("hiring.checklists.no_tasks")} />
        ) : (
          <Tasks tasks={tasks.data.items} />
        )}
      </Part>
    </Stack>
  );
}

const lateFilters = [<DateInput key="as_of" source="as_of" label="hiring.checklists.as_of" alwaysOn />];

/** How many days a task is late on the day the list is asked for (today unless another is chosen). */
function DaysLate() {
  const record = useRecordContext<Task & { id: string }>();
  const { filterValues } = useListContext();
  if (!record) return null;
  const asOf = (filterValues.as_of as string | undefined) || today();
  return <span>{Math.round((Date.parse(asOf) - Date.parse(record.due_date)) / 86_400_000)}</span>;
}

/** Every open task past its due date, the longest overdue first. */
export function LateTasks() {
  const translate = useTranslate();
  const word = useWord();
  return (
    <List
      resource="late_tasks"
      title={translate("hiring.checklists.late")}
      filters={lateFilters}
      perPage={100}
      sort={{ field: "", order: "ASC" }}
      actions={false}
      empty={<ListEmpty />}
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <EmployeeField source="employee_id" sortable={false} />
        <TextField source="title" sortable={false} />
        <StateField source="kind" group="kind" sortable={false} />
        <FunctionField source="owner_role" sortable={false} render={(t: Task) => word("owner", t.owner_role)} />
        <DayField source="due_date" sortable={false} />
        <FunctionField label="hiring.checklists.days_late" render={() => <DaysLate />} />
        <FunctionField
          label="hiring.candidates.actions"
          render={(t: Task) => (
            <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
              <DoneButton task={t} />
              <Link to={`/checklists/people/${encodeURIComponent(t.employee_id)}`}>
                {translate("hiring.checklists.open_person")}
              </Link>
            </Stack>
          )}
        />
      </Datagrid>
    </List>
  );
}
