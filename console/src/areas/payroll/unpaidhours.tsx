import { useState } from "react";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormLabel,
  MenuItem,
  Radio,
  RadioGroup,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import { Title, useDataProvider, useGetList, useLocaleState, useNotify, useTranslate } from "react-admin";
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router-dom";
import type { components } from "../../api/schema";
import { call } from "../../api/http";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { formatDate, formatNumber } from "../../format";
import { Empty, Failed, Loading } from "../../components/States";
import { saveResponse } from "./common";
import { UNPAID_ACTIONS } from "./resources";

type UnpaidPage = components["schemas"]["payroll_UnpaidHoursPage"];
type UnpaidWeek = components["schemas"]["payroll_UnpaidWeek"];
type Deferral = components["schemas"]["payroll_DeferralRead"];

const PAGE = 50;
/** The filters side by side (the theme makes fields full width). */
const FILTER = { width: 240, flex: "0 0 auto" };
type Deferred = "" | "true" | "false";

/** The report's filters as the API takes them (empty ones left out). */
function useReportQuery(): [Record<string, string | string[]>, (key: string, value: string) => void] {
  const [params, setParams] = useSearchParams();
  const query: Record<string, string | string[]> = {};
  for (const key of ["q", "older_than", "pay_group", "deferred", "offset"]) {
    const value = params.get(key);
    if (value) query[key] = value;
  }
  const weeks = params.getAll("timesheet_id");
  if (weeks.length > 0) query.timesheet_id = weeks;
  const set = (key: string, value: string) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(key, value);
        else next.delete(key);
        if (key !== "offset") next.delete("offset");
        if (key === "timesheet_id") next.delete("timesheet_id");
        return next;
      },
      { replace: true },
    );
  return [query, set];
}

/**
 * Approved hours no approved run has paid, by person and week, oldest approval first, with totals; a clerk defers a
 * week to a later run from its row. Reached from the menu, and from a run whose check found hours it leaves behind.
 */
export function UnpaidHoursPage() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [query, setFilter] = useReportQuery();
  const [deferring, setDeferring] = useState<UnpaidWeek | null>(null);
  const offset = Number(query.offset ?? 0);
  const report = useQuery({
    queryKey: ["payroll-unpaid-hours", query],
    queryFn: () => dataProvider.get<UnpaidPage>(UNPAID_ACTIONS.report, { ...query, limit: PAGE, offset }),
  });
  const groups = useGetList<{ id: string; code: string; name: string }>("payroll_pay_groups", {
    pagination: { page: 1, perPage: 200 },
  });
  const text = (key: string) => (typeof query[key] === "string" ? (query[key] as string) : "");
  const hours = (value: string) => formatNumber(value, locale, 2);

  async function download() {
    try {
      const { offset: _skip, ...filters } = query;
      const response = await call(UNPAID_ACTIONS.reportCsv, { query: filters });
      await saveResponse(response, "unpaid-hours.csv");
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
    }
  }

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("payroll.unpaid.title")} />
      <CardContent>
        <Typography component="h2" variant="h5" gutterBottom>
          {translate("payroll.unpaid.title")}
        </Typography>
        <Typography variant="body2" sx={{ mb: 2 }}>
          {translate("payroll.unpaid.intro")}
        </Typography>
        <Stack direction="row" spacing={2} sx={{ mb: 2 }} useFlexGap flexWrap="wrap" alignItems="center">
          <TextField
            size="small"
            sx={FILTER}
            fullWidth={false}
            label={translate("payroll.unpaid.filters.employee")}
            value={text("q")}
            onChange={(event) => setFilter("q", event.target.value)}
          />
          <TextField
            size="small"
            type="number"
            sx={FILTER}
            fullWidth={false}
            label={translate("payroll.unpaid.filters.older_than")}
            value={text("older_than")}
            onChange={(event) => setFilter("older_than", event.target.value)}
            inputProps={{ min: 0 }}
          />
          <TextField
            size="small"
            fullWidth={false}
            select
            sx={FILTER}
            label={translate("payroll.unpaid.filters.pay_group")}
            value={text("pay_group")}
            onChange={(event) => setFilter("pay_group", event.target.value)}
          >
            <MenuItem value="">{translate("payroll.unpaid.filters.any_group")}</MenuItem>
            {(groups.data ?? []).map((group) => (
              <MenuItem key={group.id} value={group.code}>
                {group.name}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            size="small"
            fullWidth={false}
            select
            sx={FILTER}
            label={translate("payroll.unpaid.filters.deferred")}
            value={text("deferred") as Deferred}
            onChange={(event) => setFilter("deferred", event.target.value)}
          >
            <MenuItem value="">{translate("payroll.unpaid.filters.deferred_any")}</MenuItem>
            <MenuItem value="true">{translate("payroll.unpaid.filters.deferred_yes")}</MenuItem>
            <MenuItem value="false">{translate("payroll.unpaid.filters.deferred_no")}</MenuItem>
          </TextField>
          <Button variant="outlined" onClick={download}>
            {translate("payroll.unpaid.csv")}
          </Button>
        </Stack>
        {query.timesheet_id && (
          <Alert
            severity="info"
            sx={{ mb: 2 }}
            action={
              <Button color="inherit" size="small" onClick={() => setFilter("timesheet_id", "")}>
                {translate("payroll.unpaid.show_all")}
              </Button>
            }
          >
            {translate("payroll.unpaid.from_run")}
          </Alert>
        )}
        {report.isPending ? (
          <Loading />
        ) : report.error ? (
          <Failed error={report.error} retry={() => report.refetch()} />
        ) : report.data.total === 0 ? (
          <Empty message={translate("payroll.unpaid.empty")} />
        ) : (
          <Box>
            <Typography gutterBottom data-testid="unpaid-totals">
              {translate("payroll.unpaid.totals", {
                weeks: report.data.total,
                people: report.data.people,
                hours: hours(report.data.hours),
                deferred: hours(report.data.deferred_hours),
              })}
            </Typography>
            <Table size="small" aria-label={translate("payroll.unpaid.title")}>
              <TableHead>
                <TableRow>
                  <TableCell>{translate("payroll.unpaid.columns.employee")}</TableCell>
                  <TableCell>{translate("payroll.unpaid.columns.department")}</TableCell>
                  <TableCell>{translate("payroll.unpaid.columns.week")}</TableCell>
                  <TableCell align="right">{translate("payroll.unpaid.columns.hours")}</TableCell>
                  <TableCell>{translate("payroll.unpaid.columns.approved")}</TableCell>
                  <TableCell align="right">{translate("payroll.unpaid.columns.age")}</TableCell>
                  <TableCell>{translate("payroll.unpaid.columns.deferral")}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {report.data.items.map((week) => (
                  <TableRow key={week.timesheet_id} data-week={week.week_start}>
                    <TableCell>
                      {week.employee_name ?? week.employee_id}
                      <Typography variant="body2" color="text.secondary" component="div">
                        {week.employee_id}
                      </Typography>
                    </TableCell>
                    <TableCell>{week.department ?? ""}</TableCell>
                    <TableCell>
                      {formatDate(week.week_start, locale)} – {formatDate(week.week_end, locale)}
                    </TableCell>
                    <TableCell align="right">{hours(week.hours)}</TableCell>
                    <TableCell>{formatDate(week.approved_at, locale)}</TableCell>
                    <TableCell align="right">{week.age_days}</TableCell>
                    <TableCell>
                      {week.deferral ? (
                        <DeferralText deferral={week.deferral} />
                      ) : (
                        <Button
                          size="small"
                          onClick={() => setDeferring(week)}
                          aria-label={translate("payroll.unpaid.defer_named", {
                            week: formatDate(week.week_start, locale),
                            employee: week.employee_name ?? week.employee_id,
                          })}
                        >
                          {translate("payroll.unpaid.defer")}
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
                <TableRow>
                  <TableCell colSpan={3}>
                    <strong>{translate("payroll.payslips.total")}</strong>
                  </TableCell>
                  <TableCell align="right">
                    <strong>{hours(report.data.hours)}</strong>
                  </TableCell>
                  <TableCell colSpan={3} />
                </TableRow>
              </TableBody>
            </Table>
            <Pages page={report.data} onOffset={(value) => setFilter("offset", value ? String(value) : "")} />
          </Box>
        )}
      </CardContent>
      {deferring && (
        <DeferDialog
          week={deferring}
          onClose={() => setDeferring(null)}
          onDone={() => {
            setDeferring(null);
            notify("payroll.unpaid.deferred", { type: "success" });
            void report.refetch();
          }}
        />
      )}
    </Card>
  );
}

function DeferralText({ deferral }: { deferral: Deferral }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return deferral.next_run
    ? translate("payroll.unpaid.deferred_next_run", { reason: deferral.reason })
    : translate("payroll.unpaid.deferred_until", { until: formatDate(deferral.until, locale), reason: deferral.reason });
}

function Pages({ page, onOffset }: { page: UnpaidPage; onOffset: (offset: number) => void }) {
  const translate = useTranslate();
  if (page.total <= page.limit) return null;
  return (
    <Stack direction="row" spacing={2} alignItems="center" sx={{ mt: 1 }}>
      <Button size="small" disabled={page.offset === 0} onClick={() => onOffset(Math.max(0, page.offset - page.limit))}>
        {translate("payroll.unpaid.previous")}
      </Button>
      <Typography variant="body2">
        {translate("payroll.unpaid.pages", {
          from: page.offset + 1,
          to: page.offset + page.items.length,
          total: page.total,
        })}
      </Typography>
      <Button
        size="small"
        disabled={page.offset + page.limit >= page.total}
        onClick={() => onOffset(page.offset + page.limit)}
      >
        {translate("payroll.unpaid.next")}
      </Button>
    </Stack>
  );
}

/** Asks why (required) and until when, then records the deferral; the service's refusal is shown as it says it. */
function DeferDialog({ week, onClose, onDone }: { week: UnpaidWeek; onClose: () => void; onDone: () => void }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [reason, setReason] = useState("");
  const [mode, setMode] = useState<"next-run" | "date">("next-run");
  const [until, setUntil] = useState("");
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const title = translate("payroll.unpaid.defer_title", {
    week: formatDate(week.week_start, locale),
    employee: week.employee_name ?? week.employee_id,
  });

  async function save() {
    setTried(true);
    if (!reason.trim() || (mode === "date" && !until)) return;
    setBusy(true);
    setError(null);
    try {
      await dataProvider.post(
        UNPAID_ACTIONS.defer,
        { timesheet_id: week.timesheet_id, reason: reason.trim(), until: mode === "date" ? until : "next-run" },
        { idempotent: true },
      );
      onDone();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open onClose={onClose} aria-labelledby="defer-title" fullWidth>
      <DialogTitle id="defer-title">{title}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>{translate("payroll.unpaid.defer_help")}</DialogContentText>
        {error && (
          <Alert severity="error" sx={{ mb: 2 }}>
            {error}
          </Alert>
        )}
        <TextField
          autoFocus
          fullWidth
          multiline
          minRows={2}
          required
          label={translate("payroll.unpaid.reason")}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          error={tried && !reason.trim()}
          helperText={tried && !reason.trim() ? translate("payroll.unpaid.reason_required") : " "}
          inputProps={{ maxLength: 2000 }}
        />
        <FormControl sx={{ mt: 1 }}>
          <FormLabel id="defer-until">{translate("payroll.unpaid.until")}</FormLabel>
          <RadioGroup
            aria-labelledby="defer-until"
            value={mode}
            onChange={(event) => setMode(event.target.value as "next-run" | "date")}
          >
            <FormControlLabel value="next-run" control={<Radio />} label={translate("payroll.unpaid.until_next_run")} />
            <FormControlLabel value="date" control={<Radio />} label={translate("payroll.unpaid.until_date")} />
          </RadioGroup>
        </FormControl>
        {mode === "date" && (
          <TextField
            type="date"
            sx={{ mt: 1 }}
            label={translate("payroll.unpaid.until_day")}
            value={until}
            onChange={(event) => setUntil(event.target.value)}
            error={tried && !until}
            InputLabelProps={{ shrink: true }}
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate("payroll.unpaid.cancel")}</Button>
        <Button variant="contained" disabled={busy} onClick={save}>
          {translate("payroll.unpaid.save")}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
