import { Box, CardContent, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { Link as RouterLink } from "react-router-dom";
import { Show, useLocaleState, useRecordContext, useTranslate } from "react-admin";
import { formatDate, formatMoney, formatNumber } from "../../format";

interface Line {
  code: string;
  description: string;
  quantity: string | null;
  rate: string | null;
  amount: string;
}

interface Payslip {
  id: string;
  run_id: string;
  employee_id: string;
  employee_name: string;
  department: string | null;
  currency: string;
  period_start: string;
  period_end: string;
  pay_date: string;
  final: boolean;
  run_status: string;
  working_days_employed: number;
  working_days_in_period: number;
  earnings: Line[];
  deductions: Line[];
  employer_contributions: Line[];
  gross: string;
  total_deductions: string;
  net: string;
  total_employer_contributions: string;
  hours: Record<string, string>;
  year_to_date: Record<string, string>;
}

const YTD = ["gross", "deductions", "net", "employer_contributions"] as const;

/** One payslip, line by line: earnings, deductions, net, and what the employer pays on top. */
export function PayslipShow() {
  const translate = useTranslate();
  return (
    <Show title={translate("payroll.payslips.one")} actions={false}>
      <PayslipBody />
    </Show>
  );
}

function PayslipBody() {
  const slip = useRecordContext<Payslip>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!slip) return null;
  const money = (amount: string) => formatMoney(amount, slip.currency, locale);
  return (
    <CardContent>
      <Typography component="h2" variant="h5">
        {translate("payroll.payslips.heading", { name: slip.employee_name })}
      </Typography>
      <Typography gutterBottom>
        {formatDate(slip.period_start, locale)} – {formatDate(slip.period_end, locale)} ·{" "}
        {translate("payroll.runs.pay_date_is", { date: formatDate(slip.pay_date, locale) })} ·{" "}
        {translate(
          slip.run_status === "approved" || slip.run_status === "paid"
            ? "payroll.payslips.more.issued"
            : "payroll.payslips.draft",
        )}
        {slip.final ? ` · ${translate("payroll.payslips.more.final_pay")}` : ""}
      </Typography>
      <Typography gutterBottom>
        {translate("payroll.payslips.days", {
          employed: slip.working_days_employed,
          period: slip.working_days_in_period,
        })}{" "}
        · {slip.department ?? ""} ·{" "}
        <RouterLink to={`/payroll_runs/${encodeURIComponent(slip.run_id)}/show`}>
          {translate("payroll.payslips.back_to_run")}
        </RouterLink>
      </Typography>
      <Lines title="payroll.payslips.categories.earning" lines={slip.earnings} total={slip.gross} money={money} />
      <Lines
        title="payroll.payslips.categories.deduction"
        lines={slip.deductions}
        total={slip.total_deductions}
        money={money}
      />
      <Box sx={{ my: 2 }}>
        <Typography component="p" variant="h6">
          {translate("resources.payroll_payslips.fields.net")}: {money(slip.net)}
        </Typography>
      </Box>
      <Lines
        title="payroll.payslips.categories.employer_contribution"
        lines={slip.employer_contributions}
        total={slip.total_employer_contributions}
        money={money}
      />
      <HoursAndYearToDate slip={slip} money={money} />
    </CardContent>
  );
}

/** The hours paid, by kind, and the totals of the year so far (this payslip included). */
function HoursAndYearToDate({ slip, money }: { slip: Payslip; money: (amount: string) => string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const kinds = Object.keys(slip.hours).sort();
  return (
    <Box sx={{ my: 2, display: "flex", gap: 4, flexWrap: "wrap" }}>
      {kinds.length > 0 && (
        <Box>
          <Typography component="h3" variant="h6">
            {translate("payroll.payslips.more.hours")}
          </Typography>
          <Table size="small" aria-label={translate("payroll.payslips.more.hours")}>
            <TableHead>
              <TableRow>
                <TableCell>{translate("payroll.payslips.more.kind")}</TableCell>
                <TableCell align="right">{translate("payroll.payslips.more.hours_column")}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {kinds.map((kind) => (
                <TableRow key={kind}>
                  <TableCell>{translate(`payroll.payslips.more.kinds.${kind}`, { _: kind })}</TableCell>
                  <TableCell align="right">{formatNumber(slip.hours[kind], locale, 2)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
      <Box>
        <Typography component="h3" variant="h6">
          {translate("payroll.payslips.more.year_to_date", { year: slip.pay_date.slice(0, 4) })}
        </Typography>
        <Table size="small" aria-label={translate("payroll.payslips.more.year_to_date", { year: slip.pay_date.slice(0, 4) })}>
          <TableBody>
            {YTD.map((key) => (
              <TableRow key={key}>
                <TableCell component="th" scope="row">
                  {translate(`payroll.payslips.more.ytd.${key}`)}
                </TableCell>
                <TableCell align="right">{money(slip.year_to_date[key] ?? "0")}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Box>
  );
}

function Lines({
  title,
  lines,
  total,
  money,
}: {
  title: string;
  lines: Line[];
  total: string;
  money: (amount: string) => string;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <Box sx={{ my: 2 }}>
      <Typography component="h3" variant="h6">
        {translate(title)}
      </Typography>
      <Table size="small" aria-label={translate(title)}>
        <TableHead>
          <TableRow>
            <TableCell>{translate("payroll.payslips.code")}</TableCell>
            <TableCell>{translate("payroll.payslips.description")}</TableCell>
            <TableCell align="right">{translate("payroll.payslips.quantity")}</TableCell>
            <TableCell align="right">{translate("payroll.payslips.rate")}</TableCell>
            <TableCell align="right">{translate("payroll.payslips.amount")}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {lines.map((line, index) => (
            <TableRow key={index}>
              <TableCell>{line.code}</TableCell>
              <TableCell>{line.description}</TableCell>
              <TableCell align="right">{formatNumber(line.quantity, locale)}</TableCell>
              <TableCell align="right">{formatNumber(line.rate, locale)}</TableCell>
              <TableCell align="right">{money(line.amount)}</TableCell>
            </TableRow>
          ))}
          <TableRow>
            <TableCell colSpan={4}>
              <strong>{translate("payroll.payslips.total")}</strong>
            </TableCell>
            <TableCell align="right">
              <strong>{money(total)}</strong>
            </TableCell>
          </TableRow>
        </TableBody>
      </Table>
    </Box>
  );
}
