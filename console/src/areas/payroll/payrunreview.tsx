import { useEffect, useMemo, useRef, useState } from "react";
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import { useDataProvider, useLocaleState, useTranslate } from "react-admin";
import { useQuery, type UseQueryResult } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { Link as RouterLink } from "react-router-dom";
import type { components } from "../../api/schema";
import { fillPath } from "../../api/resources";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { formatDate, formatMoney } from "../../format";
import { Failed, Loading } from "../../components/States";
import { PAYROLL_ACTIONS } from "./resources";
import { MINIMUM_PAY_SLUGS } from "./minimum";

export type Change = components["schemas"]["payroll_PayRunChange"];
type ChangePage = components["schemas"]["payroll_PayRunChangePage"];
export type Checks = components["schemas"]["payroll_PayRunChecks"];

/** The run as the review needs it. */
export interface ReviewedRun {
  id: string;
  status: string;
  currency: string;
  employees: number;
  net: string;
  calculated_at?: string | null;
}

/** Rows per request: the endpoint's largest page, so a run of 5,000 people comes in five requests. */
const PAGE = 1000;
const ROW_HEIGHT = 41;
type Only = "all" | "changed" | "joined" | "left" | "pay_changed";
const FILTERS: Only[] = ["all", "changed", "joined", "left", "pay_changed"];

/** Everyone of the run beside the previous run, every page of it; the screen marks when the data arrived. */
export function useRunChanges(run: ReviewedRun) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ["payroll-run-changes", run.id, run.status, run.calculated_at ?? "", run.net],
    queryFn: async () => {
      const path = fillPath(PAYROLL_ACTIONS.runChanges, run.id);
      const first = await dataProvider.get<ChangePage>(path, { limit: PAGE, offset: 0 });
      const rest = [];
      for (let offset = PAGE; offset < first.total; offset += PAGE) {
        rest.push(dataProvider.get<ChangePage>(path, { limit: PAGE, offset }));
      }
      const pages = await Promise.all(rest);
      const items = [first, ...pages].flatMap((page) => page.items);
      performance.mark("payrun-review:data");
      return { ...first, items };
    },
  });
}

/** What stops approval now, as the service says (asked again whenever the run changes). */
export function useRunChecks(run: ReviewedRun) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ["payroll-run-checks", run.id, run.status, run.calculated_at ?? ""],
    queryFn: () => dataProvider.get<Checks>(fillPath(PAYROLL_ACTIONS.runChecks, run.id)),
  });
}

/** Findings whose words live in their own part of the catalogue (`payroll.unpaid.…`). */
const FINDING_WORDS: Record<string, string> = { "unpaid-verified-hours": "payroll.unpaid.run_finding" };

/** To the unpaid hours report, showing the weeks a run's check named. */
function UnpaidHoursLink({ ids }: { ids: string[] }) {
  const translate = useTranslate();
  const weeks = new URLSearchParams(ids.map((id) => ["timesheet_id", id]));
  return <RouterLink to={`/payroll/unpaid-hours?${weeks.toString()}`}>{translate("payroll.unpaid.see_hours")}</RouterLink>;
}

/** The findings that block approval, shown above the actions, each with what to do. */
export function Blockers({ checks }: { checks: UseQueryResult<Checks> }) {
  const translate = useTranslate();
  const findings = (checks.data?.findings ?? []).filter(
    (f) => f.slug !== "not-calculated" && !MINIMUM_PAY_SLUGS.includes(f.slug), // shown by MinimumPayReview
  );
  if (findings.length === 0) return null;
  return (
    <Alert
      severity="error"
      sx={{ my: 2 }}
      action={
        <Button color="inherit" size="small" onClick={() => checks.refetch()}>
          {translate("payroll.runs.review.check_again")}
        </Button>
      }
    >
      <AlertTitle>{translate("payroll.runs.review.blocked_title")}</AlertTitle>
      <Box component="ul" sx={{ m: 0, pl: 2 }}>
        {findings.map((finding) => (
          <li key={finding.slug}>
            {translate(FINDING_WORDS[finding.slug] ?? `payroll.runs.review.finding.${finding.slug}`, {
              smart_count: finding.ids.length,
              _: finding.message,
            })}{" "}
            {finding.slug === "unverified-timesheets" && (
              <RouterLink to="/payroll_timesheets">{translate("payroll.runs.go_verify")}</RouterLink>
            )}
            {finding.slug === "unpaid-verified-hours" && <UnpaidHoursLink ids={finding.ids} />}
          </li>
        ))}
      </Box>
    </Alert>
  );
}

/** A difference with its sign (+€12.00, −€3.50, €0.00), from the API's decimal text. */
function formatDelta(amount: string | null | undefined, currency: string, locale: string): string {
  if (amount === null || amount === undefined || amount === "") return "";
  const format = new Intl.NumberFormat(locale, { style: "currency", currency, signDisplay: "exceptZero" });
  return format.format(String(amount) as unknown as number);
}

function matches(change: Change, text: string): boolean {
  if (!text) return true;
  const needle = text.toLocaleLowerCase();
  return [change.employee_name, change.department ?? "", change.employee_id].some((v) =>
    v.toLocaleLowerCase().includes(needle),
  );
}

function kept(change: Change, only: Only): boolean {
  if (only === "all") return true;
  if (only === "changed") {
    return change.joined || change.left || change.pay_changed || (!!change.net_delta && !/^-?0(\.0+)?$/.test(change.net_delta));
  }
  return change[only];
}

/** Everyone of the run: gross, deductions, net, the previous run's net and the differences, who joined, left or
 * changed pay. A real table, virtualised: only the rows in view are in the page, the row count is announced. */
export function ReviewTable({ run }: { run: ReviewedRun }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const changes = useRunChanges(run);
  const [text, setText] = useState("");
  const [only, setOnly] = useState<Only>("all");
  const rows = useMemo(
    () => (changes.data?.items ?? []).filter((c) => kept(c, only) && matches(c, text.trim())),
    [changes.data, only, text],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const marked = useRef<unknown>(null);
  useEffect(() => {
    if (!changes.data || marked.current === changes.data) return;
    marked.current = changes.data;
    // The first frame painted with the rows in it.
    requestAnimationFrame(() =>
      setTimeout(() => {
        performance.mark("payrun-review:rows");
        performance.measure("payrun-review", "payrun-review:data", "payrun-review:rows");
      }, 0),
    );
  }, [changes.data]);

  if (changes.isPending) return <Loading />;
  if (changes.error) return <Failed error={changes.error} retry={() => changes.refetch()} />;
  const page = changes.data;
  const money = (amount: string | null | undefined) => formatMoney(amount, run.currency, locale);
  const delta = (amount: string | null | undefined) => formatDelta(amount, run.currency, locale);
  const items = virtualizer.getVirtualItems();
  const before = items.length > 0 ? items[0].start : 0;
  const after = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const columns = 9;
  const caption = translate("payroll.runs.review.count", { smart_count: rows.length, total: page.items.length });
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography component="h3" variant="h6" id="payrun-review-heading">
          {translate("payroll.runs.per_person")}
        </Typography>
        <Typography gutterBottom>
          {page.previous_run_id
            ? translate("payroll.runs.review.compared_with", {
                start: formatDate(page.previous_period_start, locale),
                end: formatDate(page.previous_period_end, locale),
              })
            : translate("payroll.runs.review.no_previous")}{" "}
          {translate("payroll.runs.review.summary", {
            joined: page.joined,
            left: page.left,
            pay_changed: page.pay_changed,
          })}
        </Typography>
        <Stack direction="row" spacing={2} useFlexGap flexWrap="wrap" sx={{ my: 1 }}>
          <TextField
            fullWidth={false}
            size="small"
            type="search"
            label={translate("payroll.runs.review.search")}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
          <TextField
            fullWidth={false}
            size="small"
            select
            label={translate("payroll.runs.review.show")}
            value={only}
            onChange={(event) => setOnly(event.target.value as Only)}
            sx={{ minWidth: 220 }}
          >
            {FILTERS.map((f) => (
              <MenuItem key={f} value={f}>
                {translate(`payroll.runs.review.only.${f}`)}
              </MenuItem>
            ))}
          </TextField>
        </Stack>
        <Typography role="status" aria-live="polite" sx={{ my: 1 }}>
          {caption}
        </Typography>
        <Box
          ref={scroller}
          tabIndex={0}
          role="region"
          aria-labelledby="payrun-review-heading"
          sx={{ maxHeight: 480, overflow: "auto", border: 1, borderColor: "divider", borderRadius: 1 }}
        >
          <Table
            size="small"
            stickyHeader
            aria-label={translate("payroll.runs.per_person")}
            aria-rowcount={rows.length + 1}
            sx={{ tableLayout: "fixed", minWidth: 1100 }}
          >
            <caption style={{ position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)" }}>
              {caption}
            </caption>
            <TableHead>
              <TableRow aria-rowindex={1}>
                <TableCell sx={{ width: "20%" }}>{translate("resources.payroll_payslips.fields.employee_name")}</TableCell>
                <TableCell sx={{ width: "12%" }}>{translate("resources.payroll_payslips.fields.department")}</TableCell>
                <TableCell align="right">{translate("resources.payroll_payslips.fields.gross")}</TableCell>
                <TableCell align="right">{translate("resources.payroll_payslips.fields.total_deductions")}</TableCell>
                <TableCell align="right">{translate("resources.payroll_payslips.fields.net")}</TableCell>
                <TableCell align="right">{translate("payroll.runs.review.previous_net")}</TableCell>
                <TableCell align="right">{translate("payroll.runs.review.net_delta")}</TableCell>
                <TableCell align="right">{translate("payroll.runs.review.gross_delta")}</TableCell>
                <TableCell sx={{ width: "14%" }}>{translate("payroll.runs.review.changes")}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.length === 0 && (
                <TableRow>
                  <TableCell colSpan={columns}>
                    {page.items.length === 0 ? translate("payroll.runs.no_payslips") : translate("payroll.runs.review.none_match")}
                  </TableCell>
                </TableRow>
              )}
              {before > 0 && (
                <TableRow aria-hidden>
                  <TableCell colSpan={columns} sx={{ height: before, p: 0, border: 0 }} />
                </TableRow>
              )}
              {items.map((item) => {
                const change = rows[item.index];
                return (
                  <TableRow key={change.employee_id} aria-rowindex={item.index + 2} sx={{ height: ROW_HEIGHT }} hover>
                    <TableCell sx={{ whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" }}>
                      {change.payslip_id ? (
                        <RouterLink to={`/payroll_payslips/${encodeURIComponent(change.payslip_id)}/show`}>
                          {change.employee_name}
                        </RouterLink>
                      ) : (
                        change.employee_name
                      )}
                    </TableCell>
                    <TableCell sx={{ whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" }}>
                      {change.department ?? ""}
                    </TableCell>
                    <TableCell align="right" sx={{ fontVariantNumeric: "tabular-nums" }}>
                      {money(change.gross)}
                    </TableCell>
                    <TableCell align="right" sx={{ fontVariantNumeric: "tabular-nums" }}>
                      {money(change.deductions)}
                    </TableCell>
                    <TableCell align="right" sx={{ fontVariantNumeric: "tabular-nums" }}>
                      {money(change.net)}
                    </TableCell>
                    <TableCell align="right" sx={{ fontVariantNumeric: "tabular-nums" }}>
                      {money(change.previous_net)}
                    </TableCell>
                    <TableCell align="right" sx={{ fontVariantNumeric: "tabular-nums" }}>
                      {delta(change.net_delta)}
                    </TableCell>
                    <TableCell align="right" sx={{ fontVariantNumeric: "tabular-nums" }}>
                      {delta(change.gross_delta)}
                    </TableCell>
                    <TableCell>
                      <Stack direction="row" spacing={0.5}>
                        {change.joined && <Chip size="small" color="success" label={translate("payroll.runs.review.joined")} />}
                        {change.left && <Chip size="small" color="warning" label={translate("payroll.runs.review.left")} />}
                        {change.pay_changed && (
                          <Chip size="small" color="info" label={translate("payroll.runs.review.pay_changed")} />
                        )}
                      </Stack>
                    </TableCell>
                  </TableRow>
                );
              })}
              {after > 0 && (
                <TableRow aria-hidden>
                  <TableCell colSpan={columns} sx={{ height: after, p: 0, border: 0 }} />
                </TableRow>
              )}
            </TableBody>
          </Table>
        </Box>
      </CardContent>
    </Card>
  );
}
