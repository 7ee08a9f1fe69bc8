import { useState } from "react";
import {
  Alert,
  Box,
  Button,
  Checkbox,
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
  TextField as MuiTextField,
  Typography,
} from "@mui/material";
import {
  Confirm,
  Datagrid,
  DateInput,
  FunctionField,
  List,
  SelectInput,
  TextInput,
  useDataProvider,
  useListContext,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
  useUnselectAll,
} from "react-admin";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { formatDate, formatNumber } from "../../format";
import { DayField, NumberText } from "./common";
import { PAYROLL_ACTIONS, payrollResources } from "./resources";
import { useQuery } from "@tanstack/react-query";
import { Failed, Loading } from "../../components/States";

interface Finding {
  code: string;
  severity: "error" | "info";
  message: string;
  day: string | null;
}

interface Entry {
  day: string;
  hours: string | number;
  kind: string;
  note?: string | null;
}

interface Timesheet {
  id: string;
  employee_id: string;
  employee_name?: string | null;
  week_start: string;
  status: "pending" | "approved" | "rejected";
  entries: Entry[];
  findings: Finding[];
  total_hours: string | null;
  decision_reason: string | null;
}

const STATUSES = ["pending", "approved", "rejected"];

/** The codes of payroll's findings (hours/service.py), the ones a clerk looks for first. */
const FINDINGS = [
  "daily_overtime",
  "weekly_overtime",
  "hours_out_of_range",
  "before_employment",
  "after_employment",
  "future_day",
  "duplicate_day",
  "day_outside_week",
  "kind_not_allowed",
  "unknown_kind",
  "negative_hours",
  "hours_precision",
  "hours_not_a_number",
  "too_many_entries",
  "empty",
  "week_start",
  "no_pay_terms",
  "unknown_employee",
];

/** A finding's name in the reader's language; a code the console does not know yet is shown as it is. */
function useFindingName() {
  const translate = useTranslate();
  return (code: string) => translate(`payroll.hours.codes.${code}`, { _: code });
}

function useFilters() {
  const translate = useTranslate();
  return [
    <SelectInput
      key="status"
      source="status"
      alwaysOn
      choices={STATUSES.map((id) => ({ id, name: translate(`payroll.hours.status.${id}`) }))}
    />,
    <DateInput key="week_start" source="week_start" alwaysOn />,
    <TextInput key="department" source="department" label="payroll.hours.department" alwaysOn />,
    <SelectInput
      key="finding"
      source="finding"
      label="payroll.hours.finding"
      alwaysOn
      choices={FINDINGS.map((id) => ({ id, name: translate(`payroll.hours.codes.${id}`) }))}
    />,
    <TextInput key="name" source="name" label="resources.payroll_timesheets.fields.employee_id" alwaysOn />,
  ];
}

/** The queue of submitted weeks: payroll's findings per day, approved or rejected one by one or many at once. */
export function HoursList() {
  const translate = useTranslate();
  return (
    <List
      title={translate("payroll.hours.title")}
      filters={useFilters()}
      filterDefaultValues={{ status: "pending" }}
      empty={false}
      perPage={50}
      sort={{ field: "", order: "ASC" }}
    >
      <SelectedDecisions />
      <Datagrid bulkActionButtons={false} expand={<WeekDetail />} rowClick="expand">
        <FunctionField
          label="payroll.hours.select"
          render={(record: Timesheet) => <SelectWeek record={record} />}
        />
        <FunctionField
          source="employee_id"
          sortable={false}
          render={(record: Timesheet) => <EmployeeName record={record} />}
        />
        <DayField source="week_start" sortable={false} />
        <NumberText source="total_hours" sortable={false} />
        <FunctionField
          source="findings"
          sortable={false}
          render={(record: Timesheet) => <FindingChips findings={record.findings} />}
        />
        <FunctionField
          source="status"
          sortable={false}
          render={(record: Timesheet) => translate(`payroll.hours.status.${record.status}`)}
        />
      </Datagrid>
    </List>
  );
}

/** The employee's name (as payroll knows it) above their id; the id alone when payroll has no name. */
function EmployeeName({ record }: { record: Timesheet }) {
  if (!record.employee_name) return <>{record.employee_id}</>;
  return (
    <>
      {record.employee_name}
      <Typography variant="body2" color="text.secondary" component="div">
        {record.employee_id}
      </Typography>
    </>
  );
}

function FindingChips({ findings }: { findings: Finding[] }) {
  const translate = useTranslate();
  const name = useFindingName();
  if (!findings.length) return <span>{translate("payroll.hours.no_findings")}</span>;
  const codes = [...new Set(findings.map((f) => f.code))];
  return (
    <Stack direction="row" spacing={0.5} useFlexGap flexWrap="wrap">
      {codes.map((code) => {
        const error = findings.some((f) => f.code === code && f.severity === "error");
        return (
          <Chip
            key={code}
            size="small"
            color={error ? "error" : "default"}
            variant={error ? "filled" : "outlined"}
            label={`${translate(error ? "payroll.hours.severity.error" : "payroll.hours.severity.info")}: ${name(code)}`}
          />
        );
      })}
    </Stack>
  );
}

/** One week day by day, each day's findings beside its hours; the week's own findings above. */
function WeekDetail() {
  const record = useRecordContext<Timesheet>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!record) return null;
  const weekFindings = record.findings.filter((f) => !f.day);
  const days = [...new Set(record.entries.map((e) => e.day))].sort();
  return (
    <Box
      sx={{ p: 1, display: "grid", gap: 2, gridTemplateColumns: { xs: "1fr", lg: "minmax(0, 3fr) minmax(0, 2fr)" } }}
    >
      <Box>
      {weekFindings.map((f, index) => (
        <Alert key={index} severity={f.severity === "error" ? "error" : "warning"} sx={{ mb: 1 }}>
          {f.message}
        </Alert>
      ))}
      <Table size="small" aria-label={translate("payroll.hours.days_of", { week: formatDate(record.week_start, locale) })}>
        <TableHead>
          <TableRow>
            <TableCell>{translate("payroll.hours.day")}</TableCell>
            <TableCell>{translate("payroll.hours.kind")}</TableCell>
            <TableCell align="right">{translate("payroll.hours.hours")}</TableCell>
            <TableCell>{translate("payroll.hours.note")}</TableCell>
            <TableCell>{translate("payroll.hours.findings")}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {days.map((day) => {
            const found = record.findings.filter((f) => f.day === day);
            const entries = record.entries.filter((e) => e.day === day);
            return entries.map((entry, index) => (
              <TableRow
                key={`${day}-${index}`}
                sx={found.length ? { bgcolor: found.some((f) => f.severity === "error") ? "#fdecea" : "#fff4e5" } : {}}
              >
                <TableCell>{index === 0 ? formatDate(day, locale) : ""}</TableCell>
                <TableCell>{entry.kind}</TableCell>
                <TableCell align="right">{formatNumber(String(entry.hours), locale, 2)}</TableCell>
                <TableCell>{entry.note ?? ""}</TableCell>
                <TableCell>
                  {index === 0 &&
                    found.map((f, i) => (
                      <Typography key={i} variant="body2" component="p">
                        <strong>
                          {translate(f.severity === "error" ? "payroll.hours.severity.error" : "payroll.hours.severity.info")}
                          :
                        </strong>{" "}
                        {f.message}
                      </Typography>
                    ))}
                </TableCell>
              </TableRow>
            ));
          })}
        </TableBody>
      </Table>
      {record.decision_reason && (
        <Typography sx={{ mt: 1 }}>
          {translate("payroll.hours.reason")}: {record.decision_reason}
        </Typography>
      )}
      {record.status === "pending" && (
        <Box sx={{ mt: 1 }}>
          <DecisionButtons ids={[record.id]} />
        </Box>
      )}
      </Box>
      <PreviousWeeks record={record} />
    </Box>
  );
}

const PREVIOUS_WEEKS = 6;

/**
 * The same person's weeks before this one (the latest six), with their hours, findings and decisions, beside the
 * week being verified: a clerk compares before deciding.
 */
function PreviousWeeks({ record }: { record: Timesheet }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const weeks = useQuery({
    queryKey: ["payroll-previous-weeks", record.employee_id],
    queryFn: () =>
      dataProvider.get<{ items: Timesheet[] }>(payrollResources.payroll_timesheets.list, {
        employee_id: record.employee_id,
        limit: 1000,
      }),
  });
  const earlier = (weeks.data?.items ?? [])
    .filter((week) => week.week_start < record.week_start)
    .sort((a, b) => (a.week_start < b.week_start ? 1 : -1))
    .slice(0, PREVIOUS_WEEKS);
  const title = translate("payroll.hours_more.previous_weeks", { employee: record.employee_name ?? record.employee_id });
  return (
    <Box component="section" aria-label={title} sx={{ borderLeft: { lg: 1 }, borderColor: { lg: "divider" }, pl: { lg: 2 } }}>
      <Typography component="h3" variant="subtitle1" gutterBottom>
        {title}
      </Typography>
      {weeks.isPending ? (
        <Loading />
      ) : weeks.error ? (
        <Failed error={weeks.error} retry={() => weeks.refetch()} />
      ) : earlier.length === 0 ? (
        <Typography variant="body2">{translate("payroll.hours_more.no_previous")}</Typography>
      ) : (
        <Table size="small" aria-label={title}>
          <TableHead>
            <TableRow>
              <TableCell>{translate("resources.payroll_timesheets.fields.week_start")}</TableCell>
              <TableCell align="right">{translate("payroll.hours.hours")}</TableCell>
              <TableCell>{translate("payroll.hours.findings")}</TableCell>
              <TableCell>{translate("resources.payroll_timesheets.fields.status")}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {earlier.map((week) => (
              <TableRow key={week.id} data-week={week.week_start}>
                <TableCell>{formatDate(week.week_start, locale)}</TableCell>
                <TableCell align="right">{formatNumber(week.total_hours, locale, 2)}</TableCell>
                <TableCell>{week.findings.length}</TableCell>
                <TableCell>
                  {translate(`payroll.hours.status.${week.status}`)}
                  {week.decision_reason ? ` (${week.decision_reason})` : ""}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

/**
 * A labelled checkbox per waiting week (react-admin's own selection checkbox leaves its input unlabelled), and
 * the decisions over the selected weeks above the list.
 */
function SelectWeek({ record }: { record: Timesheet }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { selectedIds, onToggleItem } = useListContext();
  if (record.status !== "pending") return null;
  return (
    <Checkbox
      checked={selectedIds.includes(record.id)}
      onClick={(event) => event.stopPropagation()}
      onChange={() => onToggleItem(record.id)}
      inputProps={{
        "aria-label": translate("payroll.hours.select_week", {
          employee: record.employee_name ?? record.employee_id,
          week: formatDate(record.week_start, locale),
        }),
      }}
    />
  );
}

function SelectedDecisions() {
  const translate = useTranslate();
  const { selectedIds, data, onSelect, onUnselectItems } = useListContext<Timesheet>();
  const waiting = (data ?? []).filter((record) => record.status === "pending").map((record) => record.id);
  return (
    <Stack direction="row" spacing={2} alignItems="center" sx={{ p: 1, minHeight: 52 }} useFlexGap flexWrap="wrap">
      {waiting.length > 0 && (
        <Button size="small" onClick={() => onSelect(waiting)}>
          {translate("payroll.hours.select_all")}
        </Button>
      )}
      {selectedIds.length > 0 && (
        <>
          <Typography>{translate("payroll.hours.selected", { smart_count: selectedIds.length })}</Typography>
          <DecisionButtons ids={selectedIds.map(String)} />
          <Button size="small" onClick={() => onUnselectItems()}>
            {translate("payroll.hours.unselect")}
          </Button>
        </>
      )}
    </Stack>
  );
}

/** Approve (after a confirmation) or reject (with a reason the employee reads) one week or many, all or none. */
function DecisionButtons({ ids }: { ids: string[] }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const unselectAll = useUnselectAll("payroll_timesheets");
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [approving, setApproving] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState("");
  const [busy, setBusy] = useState(false);

  async function decide(decision: "approve" | "reject") {
    setBusy(true);
    try {
      const result = await dataProvider.post<{ decided: number }>(
        PAYROLL_ACTIONS.decisions,
        { decision, timesheet_ids: ids, reason: decision === "reject" ? reason.trim() : undefined },
        { idempotent: false },
      );
      notify(decision === "approve" ? "payroll.hours.approved" : "payroll.hours.rejected", {
        type: "success",
        messageArgs: { smart_count: result.decided },
      });
      setApproving(false);
      setRejecting(false);
      setReason("");
      unselectAll();
      refresh();
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack direction="row" spacing={1}>
      <Button variant="contained" color="primary" onClick={() => setApproving(true)} disabled={busy}>
        {translate("payroll.hours.approve", { smart_count: ids.length })}
      </Button>
      <Button variant="outlined" color="error" onClick={() => setRejecting(true)} disabled={busy}>
        {translate("payroll.hours.reject", { smart_count: ids.length })}
      </Button>
      <Confirm
        isOpen={approving}
        loading={busy}
        title={translate("payroll.hours.approve_title", { smart_count: ids.length })}
        content={translate("payroll.hours.approve_explain", { smart_count: ids.length })}
        confirm={translate("payroll.hours.approve", { smart_count: ids.length })}
        onConfirm={() => decide("approve")}
        onClose={() => setApproving(false)}
      />
      <Dialog open={rejecting} onClose={() => setRejecting(false)} aria-labelledby="reject-title" fullWidth>
        <DialogTitle id="reject-title">{translate("payroll.hours.reject_title", { smart_count: ids.length })}</DialogTitle>
        <DialogContent>
          <Typography sx={{ mb: 2 }}>{translate("payroll.hours.reject_explain")}</Typography>
          <MuiTextField
            autoFocus
            fullWidth
            multiline
            minRows={2}
            label={translate("payroll.hours.reason")}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            error={Boolean(reasonError)}
            helperText={reasonError}
            inputProps={{ maxLength: 2000 }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setRejecting(false)}>{translate("app.actions.cancel")}</Button>
          <Button
            color="error"
            variant="contained"
            disabled={busy}
            onClick={() => {
              if (!reason.trim()) {
                setReasonError(translate("payroll.hours.reason_required"));
                return;
              }
              setReasonError("");
              void decide("reject");
            }}
          >
            {translate("payroll.hours.reject", { smart_count: ids.length })}
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
