import { useMemo, useState } from "react";
import { Link as RouterLink, useSearchParams } from "react-router-dom";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Link,
  List as MuiList,
  ListItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableFooter,
  TableHead,
  TableRow,
  TextField,
  Typography,
  type ChipProps,
} from "@mui/material";
import ChevronLeftIcon from "@mui/icons-material/ChevronLeft";
import ChevronRightIcon from "@mui/icons-material/ChevronRight";
import { Confirm, Title, useDataProvider, useNotify, useTranslate } from "react-admin";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ProblemError } from "../../api/http";
import { fillPath } from "../../api/resources";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Failed, Loading } from "../../components/States";
import { ForMe, useFormat } from "./common";
import { SELF_API, type Page, type PayrollTimesheet, type Timesheet } from "./resources";
import {
  addDays,
  entriesFromGrid,
  gridFromEntries,
  gridTotals,
  HOUR_KINDS,
  isValid,
  mondayOf,
  today,
  type Grid,
} from "./week";

/** My week: the hours of a week by day and kind, saved, submitted to payroll, and payroll's verdict. */
export function WeekPage() {
  const translate = useTranslate();
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={translate("self.week.title")} />
      <ForMe>{(employeeId) => <Week employeeId={employeeId} />}</ForMe>
    </Box>
  );
}

const STATUS_COLOURS: Record<string, ChipProps["color"]> = {
  draft: "default",
  submitted: "primary",
  verified: "success",
  rejected: "error",
};

function Week({ employeeId }: { employeeId: string }) {
  const translate = useTranslate();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const weekStart = mondayOf(params.get("week") ?? today());
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const queryClient = useQueryClient();
  const key = ["self", "week", employeeId, weekStart];
  const versions = useQuery({
    queryKey: key,
    queryFn: () =>
      dataProvider.get<Page<Timesheet>>(SELF_API.timesheets, {
        employee_id: employeeId,
        week_start: weekStart,
        limit: 20,
      }),
  });
  const sheet = versions.data?.items[0]; // the newest version first
  const goTo = (day: string) => setParams({ week: day });
  const weekLabel = translate("self.week.heading", {
    from: format.day(weekStart),
    to: format.day(addDays(weekStart, 6)),
  });

  return (
    <Stack spacing={2}>
      <Card>
        <CardContent>
          <Stack direction={{ xs: "column", md: "row" }} spacing={2} alignItems={{ md: "center" }}>
            <Typography component="h2" variant="h5" sx={{ flexGrow: 1 }}>
              {weekLabel}
            </Typography>
            <Stack direction="row" spacing={1} component="nav" aria-label={translate("self.week.navigation")}>
              <Button startIcon={<ChevronLeftIcon />} onClick={() => goTo(addDays(weekStart, -7))}>
                {translate("self.week.previous")}
              </Button>
              <Button onClick={() => goTo(mondayOf(today()))} disabled={weekStart === mondayOf(today())}>
                {translate("self.week.this_week")}
              </Button>
              <Button endIcon={<ChevronRightIcon />} onClick={() => goTo(addDays(weekStart, 7))}>
                {translate("self.week.next")}
              </Button>
            </Stack>
          </Stack>
          {versions.isPending ? (
            <Loading />
          ) : versions.error ? (
            <Failed error={versions.error} retry={() => versions.refetch()} />
          ) : (
            <WeekSheet
              key={`${weekStart}-${sheet?.id ?? "new"}-${sheet?.status ?? ""}`}
              weekStart={weekStart}
              sheet={sheet}
              earlier={versions.data.items.slice(1)}
              refresh={() => queryClient.invalidateQueries({ queryKey: ["self", "week", employeeId] })}
            />
          )}
        </CardContent>
      </Card>
      <RecentWeeks employeeId={employeeId} current={weekStart} />
    </Stack>
  );
}

function WeekSheet({
  weekStart,
  sheet,
  earlier,
  refresh,
}: {
  weekStart: string;
  sheet: Timesheet | undefined;
  earlier: Timesheet[];
  refresh: () => Promise<void>;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const format = useFormat();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const editable = !sheet || sheet.status === "draft";
  const [grid, setGrid] = useState<Grid>(() => gridFromEntries(weekStart, sheet?.entries));
  const totals = useMemo(() => gridTotals(grid), [grid]);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [dirty, setDirty] = useState(false);

  function change(day: string, kind: string, value: string) {
    setGrid((before) => ({ ...before, cells: { ...before.cells, [day]: { ...before.cells[day], [kind]: value } } }));
    setDirty(true);
  }

  function changeNote(day: string, value: string) {
    setGrid((before) => ({ ...before, notes: { ...before.notes, [day]: value } }));
    setDirty(true);
  }

  async function save(): Promise<Timesheet> {
    const opened = sheet ?? (await dataProvider.post<Timesheet>(SELF_API.timesheets, { week_start: weekStart }));
    return dataProvider.put<Timesheet>(fillPath(SELF_API.timesheetEntries, opened.id), {
      entries: entriesFromGrid(grid),
    });
  }

  async function act(what: "save" | "submit" | "correct") {
    setBusy(true);
    try {
      if (what === "correct" && sheet) {
        await dataProvider.post(fillPath(SELF_API.timesheetCorrection, sheet.id));
        notify("self.week.corrected", { type: "info" });
      } else {
        const saved = await save();
        if (what === "submit") {
          await dataProvider.post(fillPath(SELF_API.timesheetSubmit, saved.id), undefined, { idempotent: false });
          notify("self.week.submitted", { type: "success" });
        } else notify("self.week.saved", { type: "success" });
      }
      setDirty(false);
      await refresh();
    } catch (caught) {
      notify(caught instanceof ProblemError ? caught.message : String(caught), { type: "error" });
      await refresh();
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  const hasHours = totals.week !== "0.00";
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap">
        <Typography component="span">{translate("self.week.status")}</Typography>
        <Chip
          label={translate(`self.choices.timesheet_status.${sheet?.status ?? "none"}`)}
          color={STATUS_COLOURS[sheet?.status ?? "draft"]}
          size="small"
        />
        {sheet && sheet.version > 1 && (
          <Typography component="span" color="text.secondary">
            {translate("self.week.version", { version: sheet.version })}
          </Typography>
        )}
        {sheet?.submitted_at && (
          <Typography component="span" color="text.secondary">
            {translate("self.week.submitted_at", { when: format.moment(sheet.submitted_at) })}
          </Typography>
        )}
        {sheet?.decided_at && (
          <Typography component="span" color="text.secondary">
            {translate("self.week.decided_at", { when: format.moment(sheet.decided_at) })}
          </Typography>
        )}
      </Stack>
      {sheet?.status === "rejected" && (
        <Alert severity="error">
          {translate("self.week.rejected", { reason: sheet.decision_reason ?? "" })}
        </Alert>
      )}
      {sheet?.status === "verified" && <Alert severity="success">{translate("self.week.verified")}</Alert>}
      {sheet?.status === "submitted" && <Alert severity="info">{translate("self.week.waiting")}</Alert>}

      <WeekGrid grid={grid} totals={totals} editable={editable} onChange={change} onNote={changeNote} />

      {editable && (
        <Stack direction="row" spacing={2}>
          <Button
            variant="outlined"
            onClick={() => act("save")}
            disabled={busy || !isValid(totals) || (!dirty && !!sheet)}
          >
            {translate("self.week.save")}
          </Button>
          <Button
            variant="contained"
            onClick={() => setConfirming(true)}
            disabled={busy || !isValid(totals) || !hasHours}
          >
            {translate("self.week.submit")}
          </Button>
        </Stack>
      )}
      {sheet?.status === "rejected" && (
        <Box>
          <Button variant="contained" onClick={() => act("correct")} disabled={busy}>
            {translate("self.week.correct")}
          </Button>
        </Box>
      )}
      <Confirm
        isOpen={confirming}
        loading={busy}
        title="self.week.confirm_title"
        content="self.week.confirm_content"
        translateOptions={{ total: format.hours(totals.week) }}
        confirm="self.week.submit"
        onConfirm={() => act("submit")}
        onClose={() => setConfirming(false)}
      />
      {sheet && sheet.status !== "draft" && <Findings sheet={sheet} />}
      {earlier.length > 0 && (
        <Box>
          <Typography component="h3" variant="h6">
            {translate("self.week.earlier")}
          </Typography>
          <MuiList dense>
            {earlier.map((old) => (
              <ListItem key={old.id} disableGutters>
                {translate("self.week.earlier_item", {
                  version: old.version,
                  status: translate(`self.choices.timesheet_status.${old.status}`),
                  total: format.hours(old.total_hours),
                  reason: old.decision_reason ?? "",
                })}
              </ListItem>
            ))}
          </MuiList>
        </Box>
      )}
    </Stack>
  );
}

/** The grid: a row per day, a column per kind of hours, the day's total and note; the totals per kind below. */
function WeekGrid({
  grid,
  totals,
  editable,
  onChange,
  onNote,
}: {
  grid: Grid;
  totals: ReturnType<typeof gridTotals>;
  editable: boolean;
  onChange: (day: string, kind: string, value: string) => void;
  onNote: (day: string, value: string) => void;
}) {
  const translate = useTranslate();
  const format = useFormat();
  const weekday = new Intl.DateTimeFormat(format.locale, {
    weekday: "long",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
  const dayName = (day: string) => weekday.format(new Date(`${day}T00:00:00Z`));
  const problems = Object.entries(totals.problems);
  return (
    <Box>
      <Box sx={{ overflowX: "auto", maxWidth: "100%" }}>
        <Table size="small" aria-describedby={problems.length ? "week-problems" : undefined}>
          <caption style={{ captionSide: "top", textAlign: "left", padding: 0 }}>
            {translate("self.week.caption")}
          </caption>
          <TableHead>
            <TableRow>
              <TableCell component="th" scope="col">
                {translate("self.week.day")}
              </TableCell>
              {HOUR_KINDS.map((kind) => (
                <TableCell key={kind} component="th" scope="col" align="right" sx={{ px: 0.5 }}>
                  {translate(`self.choices.hour_kind.${kind}`)}
                </TableCell>
              ))}
              <TableCell component="th" scope="col" align="right">
                {translate("self.week.total")}
              </TableCell>
              <TableCell component="th" scope="col">
                {translate("self.week.note")}
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {grid.days.map((day) => (
              <TableRow key={day}>
                <TableCell component="th" scope="row" sx={{ whiteSpace: "nowrap", textTransform: "capitalize" }}>
                  {dayName(day)}
                </TableCell>
                {HOUR_KINDS.map((kind) => (
                  <TableCell key={kind} align="right" sx={{ px: 0.5 }}>
                    {editable ? (
                      <TextField
                        size="small"
                        variant="outlined"
                        value={grid.cells[day][kind]}
                        onChange={(event) => onChange(day, kind, event.target.value)}
                        error={Boolean(totals.problems[`${day}|${kind}`])}
                        slotProps={{
                          htmlInput: {
                            inputMode: "decimal",
                            "aria-label": translate("self.week.cell", {
                              kind: translate(`self.choices.hour_kind.${kind}`),
                              day: dayName(day),
                            }),
                            style: { textAlign: "right", width: "4em" },
                          },
                        }}
                      />
                    ) : (
                      grid.cells[day][kind] && format.hours(grid.cells[day][kind])
                    )}
                  </TableCell>
                ))}
                <TableCell align="right" sx={{ fontWeight: 600 }} data-testid={`total-${day}`}>
                  {format.hours(totals.byDay[day])}
                </TableCell>
                <TableCell sx={{ minWidth: "10em", pr: 0 }}>
                  {editable ? (
                    <TextField
                      size="small"
                      variant="outlined"
                      fullWidth
                      value={grid.notes[day]}
                      onChange={(event) => onNote(day, event.target.value)}
                      slotProps={{
                        htmlInput: {
                          maxLength: 500,
                          "aria-label": translate("self.week.note_of", { day: dayName(day) }),
                        },
                      }}
                    />
                  ) : (
                    grid.notes[day]
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
          <TableFooter>
            <TableRow>
              <TableCell component="th" scope="row" sx={{ color: "text.primary", fontWeight: 600 }}>
                {translate("self.week.total")}
              </TableCell>
              {HOUR_KINDS.map((kind) => (
                <TableCell
                  key={kind}
                  align="right"
                  sx={{ color: "text.primary", fontWeight: 600, px: 0.5 }}
                  data-testid={`total-${kind}`}
                >
                  {format.hours(totals.byKind[kind])}
                </TableCell>
              ))}
              <TableCell align="right" sx={{ color: "text.primary", fontWeight: 700 }} data-testid="total-week">
                {format.hours(totals.week)}
              </TableCell>
              <TableCell />
            </TableRow>
          </TableFooter>
        </Table>
      </Box>
      {problems.length > 0 && (
        <Alert severity="error" id="week-problems" sx={{ mt: 1 }}>
          <MuiList dense disablePadding>
            {problems.map(([where, problem]) => {
              const [day, kind] = where.split("|");
              return (
                <ListItem key={where} disableGutters>
                  {translate(`self.week.problem.${problem}`, {
                    day: dayName(day),
                    kind: kind ? translate(`self.choices.hour_kind.${kind}`) : "",
                  })}
                </ListItem>
              );
            })}
          </MuiList>
        </Alert>
      )}
    </Box>
  );
}

/** Payroll's findings, day by day: what it noticed on receipt (overtime classified, errors that rejected it). */
function Findings({ sheet }: { sheet: Timesheet }) {
  const translate = useTranslate();
  const format = useFormat();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const payroll = useQuery({
    queryKey: ["self", "payroll-timesheet", sheet.id, sheet.status],
    queryFn: () => dataProvider.get<PayrollTimesheet>(fillPath(SELF_API.payrollTimesheet, sheet.id)),
    retry: false,
  });
  // Payroll's own record has each finding's severity; HR's copy (once decided) is the fallback.
  const findings: { code: string; message: string; day?: string | null; severity?: string }[] =
    payroll.data?.findings ?? sheet.findings;
  const byDay = new Map<string, typeof findings>();
  for (const finding of findings) {
    const day = finding.day ?? "";
    byDay.set(day, [...(byDay.get(day) ?? []), finding]);
  }
  const days = [...byDay.keys()].sort();
  return (
    <Box>
      <Typography component="h3" variant="h6">
        {translate("self.week.findings")}
      </Typography>
      {payroll.data && (
        <Typography color="text.secondary">
          {translate("self.week.payroll_status", {
            status: translate(`self.choices.payroll_status.${payroll.data.status}`),
          })}
        </Typography>
      )}
      {payroll.isPending ? (
        <Loading />
      ) : days.length === 0 ? (
        <Typography>{translate(payroll.data || sheet.decided_at ? "self.week.no_findings" : "self.week.not_received")}</Typography>
      ) : (
        <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: 2, rowGap: 1 }}>
          {days.map((day) => (
            <Box key={day} sx={{ display: "contents" }}>
              <Box component="dt" sx={{ fontWeight: 600 }}>
                {day ? format.day(day) : translate("self.week.whole_week")}
              </Box>
              <Box component="dd" sx={{ m: 0 }}>
                {byDay.get(day)!.map((finding, index) => (
                  <Typography key={index}>
                    {finding.severity === "error" ? "⚠ " : ""}
                    <strong>{translate(`self.week.finding.${finding.code}`, { _: finding.code })}</strong>
                    {": "}
                    {finding.message}
                  </Typography>
                ))}
              </Box>
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
}

/** My latest weeks, to go back to one. */
function RecentWeeks({ employeeId, current }: { employeeId: string; current: string }) {
  const translate = useTranslate();
  const format = useFormat();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const recent = useQuery({
    queryKey: ["self", "week", employeeId, "recent"],
    queryFn: () => dataProvider.get<Page<Timesheet>>(SELF_API.timesheets, { employee_id: employeeId, limit: 30 }),
  });
  // A week's newest version only.
  const weeks = (recent.data?.items ?? []).filter(
    (sheet, index, all) => all.findIndex((other) => other.week_start === sheet.week_start) === index,
  );
  return (
    <Card>
      <CardContent>
        <Typography component="h2" variant="h6">
          {translate("self.week.recent")}
        </Typography>
        {recent.isPending ? (
          <Loading />
        ) : recent.error ? (
          <Failed error={recent.error} retry={() => recent.refetch()} />
        ) : weeks.length === 0 ? (
          <Typography sx={{ mt: 1 }}>{translate("self.week.no_recent")}</Typography>
        ) : (
          <MuiList dense>
            {weeks.slice(0, 10).map((sheet) => (
              <ListItem key={sheet.id} disableGutters>
                <Link
                  component={RouterLink}
                  to={`/me/week?week=${sheet.week_start}`}
                  aria-current={sheet.week_start === current ? "page" : undefined}
                >
                  {translate("self.week.recent_item", {
                    week: format.day(sheet.week_start),
                    status: translate(`self.choices.timesheet_status.${sheet.status}`),
                    total: format.hours(sheet.total_hours),
                  })}
                </Link>
              </ListItem>
            ))}
          </MuiList>
        )}
      </CardContent>
    </Card>
  );
}
