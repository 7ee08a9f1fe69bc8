/**
 * The accounting dashboard: is the company going up or down (profit and loss by month or quarter, each period
 * against the one before and the same one a year earlier), what the payroll costs by department, what is owed to
 * suppliers by age, and the cash going out per currency. Every report is the API's: the figures shown are its
 * decimal strings, formatted; the charts take numbers from them for their geometry only. Each chart has a table
 * with the same figures (always read by screen readers, shown on request).
 *
 * `CompanyResults` is the profit and loss alone, for everyone; `Dashboard` the whole, for payroll.
 */
import { useId, useState, type ReactNode } from "react";
import {
  Box,
  Button,
  Card,
  CardContent,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from "@mui/material";
import { Title, useDataProvider, useLocaleState, useNotify, useTranslate } from "react-admin";
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router-dom";
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { components } from "../../api/schema";
import type { ApiPath } from "../../api/resources";
import { call, type Query } from "../../api/http";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { formatDate, formatMoney, formatNumber } from "../../format";
import { Empty, Failed, Loading } from "../../components/States";
import { saveResponse } from "./common";

type Schemas = components["schemas"];
type ProfitAndLoss = Schemas["payroll_ProfitAndLoss"];
type ProfitPeriod = Schemas["payroll_ProfitPeriod"];
type Change = Schemas["payroll_Change"];
type PayrollCost = Schemas["payroll_PayrollCost"];
type CostRow = Schemas["payroll_CostRow"];
type Ageing = Schemas["payroll_Ageing"];
type CashForecast = Schemas["payroll_CashForecast"];
type ForecastRow = Schemas["payroll_ForecastRow"];
type Granularity = ProfitAndLoss["granularity"];

const REPORTS = {
  pnl: "/api/payroll/reports/profit-and-loss",
  pnlCsv: "/api/payroll/reports/profit-and-loss.csv",
  cost: "/api/payroll/reports/payroll-cost",
  costCsv: "/api/payroll/reports/payroll-cost.csv",
  ageing: "/api/payroll/reports/payables-ageing",
  ageingCsv: "/api/payroll/reports/payables-ageing.csv",
  forecast: "/api/payroll/reports/cash-forecast",
  forecastCsv: "/api/payroll/reports/cash-forecast.csv",
} as const satisfies Record<string, ApiPath>;

// Colours with at least 3:1 against white (WCAG 1.4.11); every series also has its name in the legend and tooltip.
const COLOURS = ["#1d4ed8", "#b91c1c", "#15803d", "#7e22ce", "#c2410c", "#0e7490", "#4d7c0f", "#be185d"];
const CHART_HEIGHT = 280;
const MARGIN = { top: 8, right: 16, left: 16, bottom: 8 };
const HIDDEN = {
  border: 0,
  clip: "rect(0 0 0 0)",
  height: "1px",
  margin: "-1px",
  overflow: "hidden",
  padding: 0,
  position: "absolute",
  whiteSpace: "nowrap",
  width: "1px",
} as const;

/** What a custom tooltip reads of recharts' props: the hovered point's data row. */
interface TipProps {
  active?: boolean;
  payload?: readonly { payload?: unknown }[];
}

/** Marks for the benchmark (bench/console.py): when the profit and loss arrived. */
export const PNL_ARRIVED = "payroll.dashboard.pnl.arrived";

/** The periods chosen: whole months, empty for the API's default (the twelve months up to today). */
interface Range {
  from: string; // "2026-01" or ""
  to: string;
  granularity: Granularity;
}

function periodQuery(range: Range): Query {
  return {
    from: range.from ? `${range.from}-01` : undefined,
    to: range.to ? `${range.to}-01` : undefined,
    granularity: range.granularity,
  };
}

/** The last day of the month chosen as 'to' when it is before this one (the ageing is as of then); else today. */
function ageingDay(range: Range): string | undefined {
  if (!range.to) return undefined;
  const [year, month] = range.to.split("-").map(Number);
  const last = new Date(Date.UTC(year, month, 0));
  return last.getTime() < Date.now() ? last.toISOString().slice(0, 10) : undefined;
}

/** "2026-10" as "Oct 2026", "2026-Q4" as "Q4 2026" ("T4 2026"), in the reader's language. */
function usePeriodLabel() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (period: string) => {
    const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
    if (quarter) return translate("payroll.dashboard.quarter", { year: quarter[1], quarter: quarter[2] });
    const [year, month] = period.split("-").map(Number);
    if (!year || !month) return period;
    const date = new Date(Date.UTC(year, month - 1, 1));
    return new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" }).format(date);
  };
}

/** Axis ticks (positions of the chart, not the API's figures): short, in the reader's language. */
function useTick(currency: string) {
  const [locale] = useLocaleState();
  // No currency before the report arrives (nothing is drawn then): Intl refuses an empty one.
  const format = currency ? new Intl.NumberFormat(locale, { style: "currency", currency, notation: "compact" }) : null;
  return (value: number) => (format ? format.format(value) : String(value));
}

/** The whole dashboard; `landing` on the first screen, whose title is the home's. */
export function Dashboard({ landing = false }: { landing?: boolean }) {
  return <Reports full landing={landing} />;
}

export function CompanyResults() {
  return <Reports full={false} />;
}

function Reports({ full, landing = false }: { full: boolean; landing?: boolean }) {
  const translate = useTranslate();
  // The periods chosen live in the address: a reload or a shared link shows the same figures, and the screen
  // keeps them whatever re-renders it. Nothing is written to the address until the person changes them.
  const [search, setSearch] = useSearchParams();
  const month = (key: string) => (/^\d{4}-\d{2}$/.test(search.get(key) ?? "") ? String(search.get(key)) : "");
  const range: Range = {
    from: month("from"),
    to: month("to"),
    granularity: search.get("granularity") === "quarter" ? "quarter" : "month",
  };
  const setRange = (change: Partial<Range>) => {
    // From the address as it is now, not as it was at the last render: two quick changes both count.
    const next = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(change)) {
      if (value && !(key === "granularity" && value === "month")) next.set(key, value);
      else next.delete(key);
    }
    setSearch(next, { replace: true });
  };
  const backwards = range.from !== "" && range.to !== "" && range.from > range.to;
  const title = translate(full ? "payroll.dashboard.title" : "payroll.dashboard.company_results");
  return (
    <Box sx={{ mt: 2 }}>
      {!landing && <Title title={title} />}
      <Typography component="h2" variant="h5" gutterBottom>
        {title}
      </Typography>
      {!full && <Typography sx={{ mb: 2 }}>{translate("payroll.dashboard.company_results_intro")}</Typography>}
      <Stack direction="row" spacing={2} useFlexGap flexWrap="wrap" sx={{ mb: 2 }} alignItems="flex-start">
        <TextField
          type="month"
          size="small"
          sx={{ width: 220 }}
          label={translate("payroll.dashboard.from")}
          value={range.from}
          onChange={(event) => setRange({ from: event.target.value })}
          InputLabelProps={{ shrink: true }}
          helperText={translate("payroll.dashboard.range_help")}
        />
        <TextField
          type="month"
          size="small"
          sx={{ width: 220 }}
          label={translate("payroll.dashboard.to")}
          value={range.to}
          onChange={(event) => setRange({ to: event.target.value })}
          InputLabelProps={{ shrink: true }}
          error={backwards}
          helperText={backwards ? translate("payroll.dashboard.backwards") : " "}
        />
        <ToggleButtonGroup
          exclusive
          size="small"
          value={range.granularity}
          onChange={(_, value: Granularity | null) => value && setRange({ granularity: value })}
          aria-label={translate("payroll.dashboard.granularity")}
        >
          <ToggleButton value="month">{translate("payroll.dashboard.by_month")}</ToggleButton>
          <ToggleButton value="quarter">{translate("payroll.dashboard.by_quarter")}</ToggleButton>
        </ToggleButtonGroup>
      </Stack>
      {backwards ? null : (
        <Stack spacing={2}>
          <ProfitAndLossReport range={range} />
          {full && (
            <>
              <PayrollCostReport range={range} />
              <AgeingReport range={range} />
              <ForecastReport />
            </>
          )}
        </Stack>
      )}
    </Box>
  );
}

/** A report's card: its heading, the CSV of the same figures, the chart and its table. */
function Section({
  title,
  csv,
  children,
}: {
  title: string;
  csv: { path: ApiPath; query: Query; name: string };
  children: ReactNode;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const id = useId();
  async function download() {
    try {
      await saveResponse(await call(csv.path, { query: csv.query }), csv.name);
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
    }
  }
  return (
    <Card component="section" aria-labelledby={id}>
      <CardContent>
        <Stack direction="row" justifyContent="space-between" alignItems="center" sx={{ mb: 1 }}>
          <Typography id={id} component="h3" variant="h6">
            {title}
          </Typography>
          <Button
            variant="outlined"
            size="small"
            onClick={download}
            aria-label={translate("payroll.dashboard.export_named", { report: title })}
          >
            {translate("payroll.dashboard.export")}
          </Button>
        </Stack>
        {children}
      </CardContent>
    </Card>
  );
}

/** A chart with its table: the table is always there for screen readers, and shown on the page on request. */
function ChartAndTable({
  name,
  chart,
  table,
  marker,
}: {
  name: string;
  chart: ReactNode;
  table: ReactNode;
  marker?: string;
}) {
  const translate = useTranslate();
  const [shown, setShown] = useState(false);
  const tableId = useId();
  return (
    <Box>
      {/* The chart repeats the table's figures: screen readers read the table. */}
      <Box aria-hidden data-chart={marker} sx={{ width: "100%", height: CHART_HEIGHT }}>
        {chart}
      </Box>
      <Button size="small" aria-expanded={shown} aria-controls={tableId} onClick={() => setShown(!shown)}>
        {translate(shown ? "payroll.dashboard.hide_table" : "payroll.dashboard.show_table", { chart: name })}
      </Button>
      <Box id={tableId} data-chart-table={marker} sx={shown ? { overflowX: "auto" } : HIDDEN}>
        {table}
      </Box>
    </Box>
  );
}

/** The hover tooltip: the exact figures of the point, formatted from the API's text. */
function TooltipBox({ heading, lines }: { heading: string; lines: [string, string, string][] }) {
  return (
    <Paper elevation={3} sx={{ p: 1, minWidth: 180 }} data-testid="chart-tooltip">
      <Typography variant="subtitle2">{heading}</Typography>
      {lines.map(([label, value, colour]) => (
        <Stack key={label} direction="row" spacing={2} justifyContent="space-between">
          <Typography variant="body2" sx={{ color: colour }}>
            {label}
          </Typography>
          <Typography variant="body2" sx={{ fontVariantNumeric: "tabular-nums" }}>
            {value}
          </Typography>
        </Stack>
      ))}
    </Paper>
  );
}

/** A change as a figure with its sign, its percentage and an arrow with a word: never colour alone. */
export function ChangeText({
  change,
  currency,
  goodWhen = "up",
}: {
  change: Change | null | undefined;
  currency: string;
  goodWhen?: "up" | "down";
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!change) return <span>{translate("payroll.dashboard.no_comparison")}</span>;
  const arrow = change.direction === "up" ? "▲" : change.direction === "down" ? "▼" : "▬";
  const colour =
    change.direction === "flat" ? "text.secondary" : change.direction === goodWhen ? "success.dark" : "error.dark";
  const percent =
    change.percent === null
      ? ""
      : ` (${translate("payroll.dashboard.percent", { value: formatNumber(change.percent, locale, 1, true) })})`;
  return (
    <Box component="span" sx={{ color: colour, whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}>
      <span aria-hidden>{arrow} </span>
      {translate(`payroll.dashboard.direction.${change.direction}`)}{" "}
      {formatMoney(change.amount, currency, locale, { signed: true })}
      {percent}
    </Box>
  );
}

function ProfitAndLossReport({ range }: { range: Range }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const label = usePeriodLabel();
  const query = periodQuery(range);
  const report = useQuery({
    queryKey: ["payroll-report-pnl", query],
    queryFn: async () => {
      const answer = await dataProvider.get<ProfitAndLoss>(REPORTS.pnl, query);
      performance.mark(PNL_ARRIVED);
      return answer;
    },
  });
  const currency = report.data?.currency ?? "";
  const tick = useTick(currency);
  const money = (amount: string) => formatMoney(amount, currency, locale);
  const title = translate("payroll.dashboard.pnl");
  const names = {
    income: translate("payroll.dashboard.income"),
    expenses: translate("payroll.dashboard.expenses"),
    profit: translate("payroll.dashboard.profit"),
  };
  let body: ReactNode;
  if (report.isPending) body = <Loading />;
  else if (report.error) body = <Failed error={report.error} retry={() => report.refetch()} />;
  else if (report.data.periods.length === 0) body = <Empty />;
  else {
    const periods = report.data.periods;
    const latest = periods[periods.length - 1];
    const points = periods.map((p) => ({
      label: label(p.period),
      // Geometry only: what is shown comes from `source`, the API's text.
      income: Number(p.income),
      expenses: Number(p.expenses),
      profit: Number(p.profit),
      source: p,
    }));
    const tooltip = ({ active, payload }: TipProps) => {
      const p = (payload?.[0]?.payload as { source?: ProfitPeriod } | undefined)?.source;
      if (!active || !p) return null;
      return (
        <TooltipBox
          heading={label(p.period)}
          lines={[
            [names.income, money(p.income), COLOURS[0]],
            [names.expenses, money(p.expenses), COLOURS[1]],
            [names.profit, money(p.profit), COLOURS[2]],
          ]}
        />
      );
    };
    body = (
      <>
        <Latest period={latest} currency={currency} heading={label(latest.period)} />
        <ChartAndTable
          name={title}
          marker="pnl"
          chart={
            <ResponsiveContainer width="100%" height="100%">
              <ComposedChart data={points} margin={MARGIN} accessibilityLayer={false}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="label" />
                <YAxis tickFormatter={tick} width={72} />
                <Tooltip content={tooltip} isAnimationActive={false} />
                <Legend />
                <Bar dataKey="income" name={names.income} fill={COLOURS[0]} isAnimationActive={false} />
                <Bar dataKey="expenses" name={names.expenses} fill={COLOURS[1]} isAnimationActive={false} />
                <Line
                  dataKey="profit"
                  name={names.profit}
                  stroke={COLOURS[2]}
                  strokeWidth={2}
                  isAnimationActive={false}
                />
              </ComposedChart>
            </ResponsiveContainer>
          }
          table={
            <Table size="small" aria-label={translate("payroll.dashboard.table_of", { chart: title })}>
              <TableHead>
                <TableRow>
                  <TableCell>{translate("payroll.dashboard.period")}</TableCell>
                  <TableCell align="right">{names.income}</TableCell>
                  <TableCell align="right">{names.expenses}</TableCell>
                  <TableCell align="right">{names.profit}</TableCell>
                  <TableCell align="right">{translate("payroll.dashboard.against_previous")}</TableCell>
                  <TableCell align="right">{translate("payroll.dashboard.against_last_year")}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {periods.map((p) => (
                  <TableRow key={p.period} data-period={p.period}>
                    <TableCell component="th" scope="row">
                      {label(p.period)}
                    </TableCell>
                    <TableCell align="right">{money(p.income)}</TableCell>
                    <TableCell align="right">{money(p.expenses)}</TableCell>
                    <TableCell align="right">{money(p.profit)}</TableCell>
                    <TableCell align="right">
                      <ChangeText change={p.against_previous} currency={currency} />
                    </TableCell>
                    <TableCell align="right">
                      <ChangeText change={p.against_last_year} currency={currency} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          }
        />
      </>
    );
  }
  return (
    <Section title={title} csv={{ path: REPORTS.pnlCsv, query, name: "profit-and-loss.csv" }}>
      {body}
    </Section>
  );
}

/** The last period of the range: income, expenses and profit, each against the period before and a year earlier. */
function Latest({ period, currency, heading }: { period: ProfitPeriod; currency: string; heading: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const figures: [string, string, Change | null | undefined, Change | null | undefined, "up" | "down"][] = [
    ["income", period.income, period.income_against_previous, period.income_against_last_year, "up"],
    ["expenses", period.expenses, period.expenses_against_previous, period.expenses_against_last_year, "down"],
    ["profit", period.profit, period.against_previous, period.against_last_year, "up"],
  ];
  return (
    <Box sx={{ mb: 2 }} data-testid="pnl-latest">
      <Typography component="h4" variant="subtitle1" sx={{ mb: 1 }}>
        {translate("payroll.dashboard.latest", { period: heading })}
      </Typography>
      <Stack direction={{ xs: "column", md: "row" }} spacing={2}>
        {figures.map(([key, amount, previous, lastYear, goodWhen]) => (
          <Paper key={key} variant="outlined" sx={{ p: 1.5, flex: 1 }} data-figure={key}>
            <Typography variant="body2" color="text.secondary">
              {translate(`payroll.dashboard.${key}`)}
            </Typography>
            <Typography variant="h6" component="p" sx={{ fontVariantNumeric: "tabular-nums" }}>
              {formatMoney(amount, currency, locale)}
            </Typography>
            <Typography variant="body2">
              {translate("payroll.dashboard.against_previous")}:{" "}
              <ChangeText change={previous} currency={currency} goodWhen={goodWhen} />
            </Typography>
            <Typography variant="body2">
              {translate("payroll.dashboard.against_last_year")}:{" "}
              <ChangeText change={lastYear} currency={currency} goodWhen={goodWhen} />
            </Typography>
          </Paper>
        ))}
      </Stack>
    </Box>
  );
}

function PayrollCostReport({ range }: { range: Range }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const label = usePeriodLabel();
  const query = periodQuery(range);
  const report = useQuery({
    queryKey: ["payroll-report-cost", query],
    queryFn: () => dataProvider.get<PayrollCost>(REPORTS.cost, query),
  });
  const currency = report.data?.currency ?? ""; // the reporting currency, given with the report
  const tick = useTick(currency);
  const money = (amount: string) => formatMoney(amount, currency, locale);
  const title = translate("payroll.dashboard.cost");
  let body: ReactNode;
  if (report.isPending) body = <Loading />;
  else if (report.error) body = <Failed error={report.error} retry={() => report.refetch()} />;
  else if (report.data.rows.length === 0) body = <Empty message={translate("payroll.dashboard.no_cost")} />;
  else {
    const departments = Object.keys(report.data.by_department);
    const byPeriod = new Map<string, Record<string, CostRow>>();
    for (const row of report.data.rows) {
      byPeriod.set(row.period, { ...byPeriod.get(row.period), [row.department]: row });
    }
    const points = [...byPeriod.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([period, rows]) => ({
        label: label(period),
        period,
        rows,
        ...Object.fromEntries(departments.map((d) => [d, rows[d] ? Number(rows[d].cost) : 0])),
      }));
    const tooltip = ({ active, payload }: TipProps) => {
      const point = payload?.[0]?.payload as (typeof points)[number] | undefined;
      if (!active || !point) return null;
      return (
        <TooltipBox
          heading={point.label}
          lines={departments
            .filter((d) => point.rows[d])
            .map((d) => [d, money(point.rows[d].cost), COLOURS[departments.indexOf(d) % COLOURS.length]])}
        />
      );
    };
    body = (
      <ChartAndTable
        name={title}
        chart={
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={points} margin={MARGIN} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" />
              <YAxis tickFormatter={tick} width={72} />
              <Tooltip content={tooltip} isAnimationActive={false} />
              <Legend />
              {departments.map((d, n) => (
                <Bar
                  key={d}
                  dataKey={d}
                  name={d}
                  stackId="cost"
                  fill={COLOURS[n % COLOURS.length]}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        }
        table={
          <Table size="small" aria-label={translate("payroll.dashboard.table_of", { chart: title })}>
            <TableHead>
              <TableRow>
                <TableCell>{translate("payroll.dashboard.period")}</TableCell>
                <TableCell>{translate("payroll.dashboard.department")}</TableCell>
                <TableCell align="right">{translate("payroll.dashboard.payslips")}</TableCell>
                <TableCell align="right">{translate("payroll.dashboard.gross")}</TableCell>
                <TableCell align="right">{translate("payroll.dashboard.employer_contributions")}</TableCell>
                <TableCell align="right">{translate("payroll.dashboard.cost_figure")}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {report.data.rows.map((row) => (
                <TableRow key={`${row.period} ${row.department}`}>
                  <TableCell>{label(row.period)}</TableCell>
                  <TableCell>{row.department}</TableCell>
                  <TableCell align="right">{formatNumber(row.employees, locale)}</TableCell>
                  <TableCell align="right">{money(row.gross)}</TableCell>
                  <TableCell align="right">{money(row.employer_contributions)}</TableCell>
                  <TableCell align="right">{money(row.cost)}</TableCell>
                </TableRow>
              ))}
              {Object.entries(report.data.by_department).map(([department, cost]) => (
                <TableRow key={`total ${department}`}>
                  <TableCell>{translate("payroll.dashboard.whole_range")}</TableCell>
                  <TableCell>{department}</TableCell>
                  <TableCell colSpan={3} />
                  <TableCell align="right" sx={{ fontWeight: 600 }}>
                    {money(cost)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        }
      />
    );
  }
  return (
    <Section title={title} csv={{ path: REPORTS.costCsv, query, name: "payroll-cost.csv" }}>
      {body}
    </Section>
  );
}

const BUCKETS = ["current", "days_1_30", "days_31_60", "days_61_90", "days_over_90"] as const;

function AgeingReport({ range }: { range: Range }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const query: Query = { as_of: ageingDay(range) };
  const report = useQuery({
    queryKey: ["payroll-report-ageing", query],
    queryFn: () => dataProvider.get<Ageing>(REPORTS.ageing, query),
  });
  const currency = report.data?.currency ?? "";
  const tick = useTick(currency);
  const money = (amount: string) => formatMoney(amount, currency, locale);
  const title = translate("payroll.dashboard.ageing");
  const bucket = (key: (typeof BUCKETS)[number]) => translate(`payroll.dashboard.buckets.${key}`);
  let body: ReactNode;
  if (report.isPending) body = <Loading />;
  else if (report.error) body = <Failed error={report.error} retry={() => report.refetch()} />;
  else {
    const { totals, rows, as_of } = report.data;
    const points = BUCKETS.map((key) => ({ label: bucket(key), key, amount: Number(totals[key]) }));
    const tooltip = ({ active, payload }: TipProps) => {
      const point = payload?.[0]?.payload as (typeof points)[number] | undefined;
      if (!active || !point) return null;
      return <TooltipBox heading={point.label} lines={[[title, money(totals[point.key]), COLOURS[0]]]} />;
    };
    body = (
      <>
        <Typography variant="body2" sx={{ mb: 1 }}>
          {translate("payroll.dashboard.as_of", { date: formatDate(as_of, locale) })}
        </Typography>
        {rows.length === 0 ? (
          <Empty message={translate("payroll.dashboard.nothing_owed")} />
        ) : (
          <ChartAndTable
            name={title}
            chart={
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={points} margin={MARGIN} accessibilityLayer={false}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="label" />
                  <YAxis tickFormatter={tick} width={72} />
                  <Tooltip content={tooltip} isAnimationActive={false} />
                  <Bar dataKey="amount" name={title} fill={COLOURS[4]} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            }
            table={
              <Table size="small" aria-label={translate("payroll.dashboard.table_of", { chart: title })}>
                <TableHead>
                  <TableRow>
                    <TableCell>{translate("payroll.dashboard.supplier")}</TableCell>
                    {BUCKETS.map((key) => (
                      <TableCell key={key} align="right">
                        {bucket(key)}
                      </TableCell>
                    ))}
                    <TableCell align="right">{translate("payroll.dashboard.total")}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {[...rows, totals].map((row) => (
                    <TableRow key={row.supplier_id || "total"}>
                      <TableCell component="th" scope="row" sx={row === totals ? { fontWeight: 600 } : undefined}>
                        {row === totals ? translate("payroll.dashboard.total") : row.supplier_name}
                      </TableCell>
                      {BUCKETS.map((key) => (
                        <TableCell key={key} align="right">
                          {money(row[key])}
                        </TableCell>
                      ))}
                      <TableCell align="right">{money(row.total)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            }
          />
        )}
      </>
    );
  }
  return (
    <Section title={title} csv={{ path: REPORTS.ageingCsv, query, name: "payables-ageing.csv" }}>
      {body}
    </Section>
  );
}

function ForecastReport() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const query: Query = { weeks: 8 };
  const report = useQuery({
    queryKey: ["payroll-report-forecast", query],
    queryFn: () => dataProvider.get<CashForecast>(REPORTS.forecast, query),
  });
  const title = translate("payroll.dashboard.forecast");
  let body: ReactNode;
  if (report.isPending) body = <Loading />;
  else if (report.error) body = <Failed error={report.error} retry={() => report.refetch()} />;
  else {
    const { currencies, rows, start, weeks } = report.data;
    body = (
      <>
        <Typography variant="body2" sx={{ mb: 1 }}>
          {translate("payroll.dashboard.forecast_weeks", { weeks, date: formatDate(start, locale) })}
        </Typography>
        {currencies.map((currency) => (
          <CurrencyForecast
            key={currency}
            currency={currency}
            rows={rows.filter((row) => row.currency === currency)}
            title={translate("payroll.dashboard.forecast_in", { currency })}
            name={`${translate("payroll.dashboard.forecast")} (${currency})`}
          />
        ))}
      </>
    );
  }
  return (
    <Section title={title} csv={{ path: REPORTS.forecastCsv, query, name: "cash-forecast.csv" }}>
      {body}
    </Section>
  );
}

/** A decimal string that is zero ("0", "0.00", "-0.00"): compared as text, never as a float. */
const ZERO = /^-?0*(\.0*)?$/;

function CurrencyForecast({
  currency,
  rows,
  title,
  name,
}: {
  currency: string;
  rows: ForecastRow[];
  title: string;
  name: string;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const tick = useTick(currency);
  const money = (amount: string) => formatMoney(amount, currency, locale);
  const names = {
    suppliers: translate("payroll.dashboard.supplier_payments"),
    payroll: translate("payroll.dashboard.payroll"),
    total: translate("payroll.dashboard.total"),
  };
  if (rows.every((row) => ZERO.test(row.total))) {
    return (
      <Box sx={{ mb: 2 }}>
        <Typography component="h4" variant="subtitle1">
          {title}
        </Typography>
        <Typography variant="body2" sx={{ p: 1 }}>
          {translate("payroll.dashboard.nothing_out", { currency })}
        </Typography>
      </Box>
    );
  }
  const points = rows.map((row) => ({
    label: formatDate(row.week_start, locale),
    supplier_payments: Number(row.supplier_payments),
    payroll: Number(row.payroll),
    source: row,
  }));
  const tooltip = ({ active, payload }: TipProps) => {
    const row = (payload?.[0]?.payload as { source?: ForecastRow } | undefined)?.source;
    if (!active || !row) return null;
    return (
      <TooltipBox
        heading={translate("payroll.dashboard.week_of", { date: formatDate(row.week_start, locale) })}
        lines={[
          [names.suppliers, money(row.supplier_payments), COLOURS[3]],
          [names.payroll, money(row.payroll), COLOURS[5]],
          [names.total, money(row.total), "inherit"],
        ]}
      />
    );
  };
  return (
    <Box sx={{ mb: 2 }}>
      <Typography component="h4" variant="subtitle1">
        {title}
      </Typography>
      <ChartAndTable
        name={name}
        chart={
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={points} margin={MARGIN} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" />
              <YAxis tickFormatter={tick} width={72} />
              <Tooltip content={tooltip} isAnimationActive={false} />
              <Legend />
              <Bar
                dataKey="supplier_payments"
                name={names.suppliers}
                stackId="out"
                fill={COLOURS[3]}
                isAnimationActive={false}
              />
              <Bar dataKey="payroll" name={names.payroll} stackId="out" fill={COLOURS[5]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        }
        table={
          <Table size="small" aria-label={translate("payroll.dashboard.table_of", { chart: title })}>
            <TableHead>
              <TableRow>
                <TableCell>{translate("payroll.dashboard.week")}</TableCell>
                <TableCell align="right">{names.suppliers}</TableCell>
                <TableCell align="right">{names.payroll}</TableCell>
                <TableCell align="right">{names.total}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((row) => (
                <TableRow key={row.week_start}>
                  <TableCell component="th" scope="row">
                    {formatDate(row.week_start, locale)}
                  </TableCell>
                  <TableCell align="right">{money(row.supplier_payments)}</TableCell>
                  <TableCell align="right">{money(row.payroll)}</TableCell>
                  <TableCell align="right">{money(row.total)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        }
      />
    </Box>
  );
}
