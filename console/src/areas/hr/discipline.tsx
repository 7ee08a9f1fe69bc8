import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useQuery } from "@tanstack/react-query";
import {
  Box,
  Button as MuiButton,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import {
  AutocompleteInput,
  Create,
  Datagrid,
  DateInput,
  Form,
  FunctionField,
  List,
  RadioButtonGroupInput,
  ReferenceField,
  ReferenceInput,
  required,
  SaveButton,
  SelectField,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from "react-admin";
import { ProblemError } from "../../api/http";
import { fillPath } from "../../api/resources";
import type { components } from "../../api/schema";
import { Failed, Loading } from "../../components/States";
import { formatDate, formatDateTime } from "../../format";
import { HR_ACTIONS } from "./resources";
import {
  CASE_STATUSES,
  CATEGORIES,
  DayField,
  fullName,
  MomentField,
  SEVERITIES,
  STEP_REASONS,
  STEPS,
  today,
  useActionSubmit,
  useConfirmation,
  type FieldValues,
  useDataApi,
  WARNING_STATES,
  WarningStateField,
} from "./shared";

type Case = components["schemas"]["hr_CaseRead"];
type CaseSummary = components["schemas"]["hr_CaseSummary"];
type Employee = components["schemas"]["hr_EmployeeRead"];

const disciplineTab = (employeeId: string) => `/employees/${encodeURIComponent(employeeId)}/show/discipline`;

const caseFilters = [<SelectInput key="status" source="status" choices={CASE_STATUSES} alwaysOn />];

/** Every disciplinary case: those at dismissal review first, with what is awaited and what is overdue. */
export function CaseList() {
  return (
    <List filters={caseFilters} perPage={50} sort={{ field: "", order: "ASC" }} exporter={false}>
      <Datagrid
        bulkActionButtons={false}
        rowClick={(_id, _resource, record) => disciplineTab((record as CaseSummary).employee_id)}
      >
        <TextField source="employee_name" sortable={false} />
        <SelectField source="step" choices={STEPS} sortable={false} />
        <SelectField source="status" choices={CASE_STATUSES} sortable={false} />
        <TextField source="awaiting_warnings" sortable={false} />
        <FunctionField
          source="overdue_warnings"
          sortable={false}
          render={(record: CaseSummary) =>
            record.overdue_warnings > 0 ? (
              <Chip size="small" color="error" label={record.overdue_warnings} />
            ) : (
              record.overdue_warnings
            )
          }
        />
        <MomentField source="next_deadline" />
        <MomentField source="updated_at" />
      </Datagrid>
    </List>
  );
}

const warningFilters = [
  <SelectInput key="state" source="state" choices={WARNING_STATES} alwaysOn />,
  <ReferenceInput key="employee_id" source="employee_id" reference="employees" alwaysOn>
    <AutocompleteInput
      optionText={(record: Employee) => `${fullName(record)} (${record.email})`}
      filterToQuery={(q: string) => ({ q })}
    />
  </ReferenceInput>,
];

/** Warnings, newest first: which are awaited, which are overdue (the deadline passed unacknowledged). */
export function WarningList({ people = "employees" }: { people?: string }) {
  return (
    <List
      filters={people === "employees" ? warningFilters : undefined}
      perPage={50}
      sort={{ field: "", order: "ASC" }}
      exporter={false}
    >
      <Datagrid
        bulkActionButtons={false}
        rowClick={(_id, _resource, record) =>
          people === "employees"
            ? disciplineTab(String(record.employee_id))
            : `/${people}/${encodeURIComponent(String(record.employee_id))}/show`
        }
      >
        <ReferenceField source="employee_id" reference={people} link={false} sortable={false}>
          <FunctionField render={(record: Employee) => fullName(record)} />
        </ReferenceField>
        <SelectField source="category" choices={CATEGORIES} sortable={false} />
        <SelectField source="severity" choices={SEVERITIES} sortable={false} />
        <DayField source="occurred_on" />
        <MomentField source="issued_at" />
        <MomentField source="acknowledge_by" />
        <WarningStateField label="resources.hr_warnings.fields.state" />
      </Datagrid>
    </List>
  );
}

/**
 * Issuing a warning (HR to anyone, a manager to a report). The API accepts it at once (202) and the disciplinary
 * workflow records it a moment later: the person is taken to where it will appear.
 */
export function WarningCreate({
  people = "employees",
  peopleFilter,
  after = disciplineTab,
}: {
  people?: string;
  peopleFilter?: Record<string, unknown>;
  after?: (employeeId: string) => string;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const navigate = useNavigate();
  const data = useDataApi();
  // The API answers 202 with the warning's id to come (not a record): the form posts it itself.
  const submit = useActionSubmit(async (values: FieldValues) => {
    await data.post(HR_ACTIONS.warnings, values);
    notify("hr.warnings.issued", { type: "success" });
    navigate(after(String(values.employee_id)));
  });
  return (
    <Create title={translate("hr.warnings.issue")}>
      <SimpleForm defaultValues={{ occurred_on: today() }} onSubmit={submit}>
        <Typography sx={{ maxWidth: 640 }}>{translate("hr.warnings.explain")}</Typography>
        <ReferenceInput source="employee_id" reference={people} filter={peopleFilter}>
          <AutocompleteInput
            optionText={(record: Employee) => `${fullName(record)} (${record.email})`}
            filterToQuery={(q: string) => ({ q })}
            validate={required()}
            sx={{ minWidth: 360 }}
          />
        </ReferenceInput>
        <SelectInput source="category" choices={CATEGORIES} validate={required()} />
        <SelectInput source="severity" choices={SEVERITIES} validate={required()} />
        <DateInput source="occurred_on" validate={required()} />
        <TextInput source="facts" multiline minRows={3} validate={required()} fullWidth />
      </SimpleForm>
    </Create>
  );
}

/** The employee's case on their page: the ladder step, its history, and the decision at dismissal review. */
export function CasePanel(_: { label?: false }) {
  const employee = useRecordContext<Employee>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const data = useDataApi();
  const found = useQuery({
    queryKey: ["hr_case", employee?.id],
    enabled: Boolean(employee),
    queryFn: async () => {
      try {
        return await data.get<Case>(fillPath(HR_ACTIONS.case, employee!.id));
      } catch (error) {
        if (error instanceof ProblemError && error.status === 404) return null;
        throw error;
      }
    },
  });
  if (!employee) return null;
  const warningsHeading = (
    <Typography component="h2" variant="h6" sx={{ pt: 2 }}>
      {translate("resources.hr_warnings.name", { smart_count: 2 })}
    </Typography>
  );
  if (found.isPending) return <Loading />;
  if (found.error) return <Failed error={found.error} retry={() => found.refetch()} />;
  const theCase = found.data;
  if (!theCase)
    return (
      <Stack spacing={1}>
        <Typography>{translate("hr.case.none")}</Typography>
        {warningsHeading}
      </Stack>
    );
  const label = (list: { id: string; name: string }[], id: string | null) => {
    const choice = list.find((item) => item.id === id);
    return choice ? translate(choice.name) : (id ?? "—");
  };
  return (
    <Stack spacing={1}>
      <Typography component="h2" variant="h6">
        {translate("hr.case.title")}
      </Typography>
      <Box sx={{ display: "flex", gap: 1, alignItems: "center", flexWrap: "wrap" }}>
        <Typography>{translate("hr.case.step")}:</Typography>
        <Chip
          label={label(STEPS, theCase.step)}
          color={theCase.status === "dismissal_review" ? "error" : "default"}
        />
        <Typography>
          {translate("hr.case.level", { level: theCase.level })} — {label(CASE_STATUSES, theCase.status)}
        </Typography>
      </Box>
      <Table size="small" aria-label={translate("hr.case.history")}>
        <TableHead>
          <TableRow>
            <TableCell>{translate("hr.case.at")}</TableCell>
            <TableCell>{translate("hr.case.step")}</TableCell>
            <TableCell>{translate("hr.case.reason")}</TableCell>
            <TableCell>{translate("hr.case.note")}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {theCase.history.map((step, index) => (
            <TableRow key={index}>
              <TableCell>{formatDateTime(step.at, locale)}</TableCell>
              <TableCell>{label(STEPS, step.step)}</TableCell>
              <TableCell>{label(STEP_REASONS, step.reason)}</TableCell>
              <TableCell>{step.note ?? "—"}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {theCase.status === "dismissal_review" && (
        <DecideButton employee={employee} onDone={() => found.refetch()} />
      )}
      {warningsHeading}
    </Stack>
  );
}

const DECISIONS = [
  { id: "dismiss", name: "hr.step.dismiss" },
  { id: "keep", name: "hr.step.keep" },
];

/** At dismissal review HR dismisses (the employment ends) or keeps the employee with a final note. */
function DecideButton({ employee, onDone }: { employee: Employee; onDone: () => void }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [open, setOpen] = useState(false);
  const data = useDataApi();
  const refresh = useRefresh();
  const notify = useNotify();
  const { ask, dialog } = useConfirmation();
  const name = fullName(employee);
  const submit = useActionSubmit(async (values: Record<string, string>) => {
    const dismiss = values.decision === "dismiss";
    const sure = await ask(
      translate(dismiss ? "hr.decision.confirm_dismiss_title" : "hr.decision.confirm_keep_title", { name }),
      translate(dismiss ? "hr.decision.confirm_dismiss" : "hr.decision.confirm_keep", {
        name,
        date: formatDate(values.effective_date || today(), locale),
      }),
    );
    if (!sure) return;
    await data.post(fillPath(HR_ACTIONS.decision, employee.id), {
      decision: values.decision,
      note: values.note,
      effective_date: dismiss ? values.effective_date || null : null,
    });
    setOpen(false);
    notify("hr.decision.done", { type: "success" });
    onDone();
    refresh();
  });
  return (
    <Box>
      <MuiButton variant="contained" color="error" onClick={() => setOpen(true)}>
        {translate("hr.decision.button")}
      </MuiButton>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby="decide-title" fullWidth maxWidth="sm">
        <DialogTitle id="decide-title">{translate("hr.decision.title", { name })}</DialogTitle>
        <Form onSubmit={submit} record={{ decision: "keep", note: "", effective_date: today() }}>
          <DialogContent>
            <Typography sx={{ mb: 2 }}>{translate("hr.decision.explain")}</Typography>
            <RadioButtonGroupInput source="decision" label="hr.decision.decision" choices={DECISIONS} />
            <TextInput source="note" label="hr.decision.note" multiline minRows={2} validate={required()} fullWidth />
            <DateInput
              source="effective_date"
              label="hr.decision.effective_date"
              helperText={translate("hr.decision.effective_date_help")}
              fullWidth
            />
          </DialogContent>
          <DialogActions>
            <MuiButton onClick={() => setOpen(false)}>{translate("ra.action.cancel")}</MuiButton>
            <SaveButton label={translate("hr.decision.submit")} alwaysEnable />
          </DialogActions>
        </Form>
      </Dialog>
      {dialog}
    </Box>
  );
}
