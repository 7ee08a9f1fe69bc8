import { useState } from "react";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Stack,
  Step,
  StepLabel,
  Stepper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import {
  Confirm,
  Create,
  CreateButton,
  Datagrid,
  DateInput,
  FunctionField,
  List,
  SelectInput,
  Show,
  SimpleForm,
  TextField,
  required,
  useDataProvider,
  useGetList,
  useLocaleState,
  useNotify,
  useRecordContext,
  useShowContext,
  useTranslate,
} from "react-admin";
import { call } from "../../api/http";
import { fillPath } from "../../api/resources";
import { formatDate, formatMoney } from "../../format";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { DayField, MoneyField, saveResponse } from "./common";
import { PAYROLL_ACTIONS } from "./resources";
import { Blockers, ReviewTable, useRunChecks } from "./payrunreview";
import { MinimumPayReview } from "./minimum";
import { RunPayItems } from "./payitems";

type RunStatus = "draft" | "calculated" | "approved" | "paid" | "cancelled";

interface PayRun {
  id: string;
  pay_group: string;
  period_start: string;
  period_end: string;
  pay_date: string;
  status: RunStatus;
  currency: string;
  employees: number;
  gross: string;
  deductions: string;
  net: string;
  employer_contributions: string;
  by_code: { code: string; category: string; amount: string }[];
  calculated_at: string | null;
}

const STEPS: RunStatus[] = ["draft", "calculated", "approved", "paid"];

function StatusField() {
  const translate = useTranslate();
  return (
    <FunctionField
      source="status"
      sortable={false}
      render={(record: PayRun) => translate(`payroll.runs.status.${record.status}`)}
    />
  );
}

/** Pay runs, latest period first. */
export function PayRunList() {
  const translate = useTranslate();
  return (
    <List title={translate("payroll.runs.title")} perPage={25} sort={{ field: "", order: "ASC" }} empty={<NoRuns />}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="pay_group" sortable={false} />
        <DayField source="period_start" sortable={false} />
        <DayField source="period_end" sortable={false} />
        <DayField source="pay_date" sortable={false} />
        <StatusField />
        <TextField source="employees" sortable={false} />
        <MoneyField source="net" textAlign="right" />
      </Datagrid>
    </List>
  );
}

/** No run yet: say so plainly (react-admin's faded empty page is too pale to read) and offer the first one. */
function NoRuns() {
  const translate = useTranslate();
  return (
    <Box sx={{ p: 3, textAlign: "center" }}>
      <Typography component="p" variant="h6" gutterBottom>
        {translate("payroll.runs.none")}
      </Typography>
      <CreateButton variant="contained" label="payroll.runs.new" />
    </Box>
  );
}

/** Step 1: a run for a pay group and a period. */
export function PayRunCreate() {
  const translate = useTranslate();
  const groups = useGetList("payroll_pay_groups", { pagination: { page: 1, perPage: 200 } });
  return (
    <Create title={translate("payroll.runs.new")} redirect="show">
      <SimpleForm>
        <Typography component="h2" variant="h6">
          {translate("payroll.runs.new")}
        </Typography>
        <SelectInput
          source="pay_group"
          validate={required()}
          isLoading={groups.isPending}
          choices={(groups.data ?? []).map((group) => ({
            id: group.code,
            name: `${group.name} (${group.code}, ${group.currency})`,
          }))}
        />
        <DateInput source="period_start" validate={required()} />
        <DateInput source="period_end" validate={required()} />
        <DateInput source="pay_date" validate={required()} />
      </SimpleForm>
    </Create>
  );
}

/** Steps 2 to 5 on one screen: calculate, review, approve, mark paid; what the run is now decides what is offered. */
export function PayRunShow() {
  const translate = useTranslate();
  return (
    <Show title={translate("payroll.runs.one")} actions={false}>
      <PayRunFlow />
    </Show>
  );
}

function PayRunFlow() {
  const run = useRecordContext<PayRun>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  // A correction added or cancelled since the last calculation: the run offers to calculate again.
  const [itemsChanged, setItemsChanged] = useState<string | null>(null);
  if (!run) return null;
  const active = run.status === "cancelled" ? -1 : STEPS.indexOf(run.status);
  const stale = itemsChanged !== null && itemsChanged === (run.calculated_at ?? "");
  return (
    <CardContent>
      <Typography component="h2" variant="h5" gutterBottom>
        {translate("payroll.runs.heading", {
          group: run.pay_group,
          start: formatDate(run.period_start, locale),
          end: formatDate(run.period_end, locale),
        })}
      </Typography>
      <Typography gutterBottom>
        {translate("payroll.runs.pay_date_is", { date: formatDate(run.pay_date, locale) })} ·{" "}
        {translate("payroll.runs.status_is", { status: translate(`payroll.runs.status.${run.status}`) })}
      </Typography>
      <Stepper activeStep={active} sx={{ my: 2 }} aria-label={translate("payroll.runs.steps")}>
        {STEPS.map((step, index) => (
          <Step key={step} completed={active > index || run.status === "paid"}>
            <StepLabel>{translate(`payroll.runs.step.${step}`)}</StepLabel>
          </Step>
        ))}
      </Stepper>
      {run.status === "cancelled" && <Alert severity="info">{translate("payroll.runs.cancelled")}</Alert>}
      <RunActions run={run} stale={stale} />
      <Stack spacing={2}>
        {run.status !== "draft" && run.status !== "cancelled" && <Review run={run} />}
        {run.status !== "cancelled" && (
          <RunPayItems run={run} onChanged={() => setItemsChanged(run.calculated_at ?? "")} />
        )}
      </Stack>
    </CardContent>
  );
}

function RunActions({ run, stale }: { run: PayRun; stale: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const { refetch } = useShowContext();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [confirming, setConfirming] = useState<"approve" | "paid" | "cancel" | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const checks = useRunChecks(run);
  const blocked = run.status === "calculated" && (stale || !checks.data || !checks.data.can_approve);
  const blockedBy = stale
    ? translate("payroll.runs.review.approve_after_recalc")
    : checks.data && !checks.data.can_approve
      ? translate("payroll.runs.review.approve_blocked")
      : "";

  async function act(action: "calculate" | "approve" | "paid" | "cancel") {
    setBusy(true);
    setProblem(null);
    try {
      await dataProvider.post(fillPath(PAYROLL_ACTIONS[action], run.id), undefined, { idempotent: false });
      notify(`payroll.runs.done.${action}`, { type: "success" });
      setConfirming(null);
      await refetch();
      await checks.refetch();
    } catch (error) {
      setConfirming(null);
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  async function download() {
    try {
      const response = await call(fillPath(PAYROLL_ACTIONS.registerCsv, run.id));
      await saveResponse(response, `register-${run.id}.csv`);
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
    }
  }

  const money = (amount: string) => formatMoney(amount, run.currency, locale);
  return (
    <Box sx={{ my: 2 }}>
      {problem && (
        <Alert severity="error" sx={{ mb: 2 }} role="alert">
          {translate("payroll.runs.blocked")}: {problem}
        </Alert>
      )}
      {run.status === "calculated" && <Blockers checks={checks} />}
      {run.status !== "draft" && <MinimumPayReview run={run} checks={checks} />}
      {stale && run.status === "calculated" && (
        <Alert severity="warning" sx={{ mb: 2 }}>
          {translate("payroll.runs.review.stale")}
        </Alert>
      )}
      <Stack direction="row" spacing={1} useFlexGap flexWrap="wrap" alignItems="center">
        {(run.status === "draft" || run.status === "calculated") && (
          <Button
            variant={run.status === "draft" || stale ? "contained" : "outlined"}
            disabled={busy}
            onClick={() => act("calculate")}
          >
            {translate(run.status === "draft" ? "payroll.runs.calculate" : "payroll.runs.recalculate")}
          </Button>
        )}
        {run.status === "calculated" && (
          <Button
            variant="contained"
            disabled={busy || blocked}
            onClick={() => setConfirming("approve")}
            aria-describedby={blockedBy ? "approve-blocked" : undefined}
          >
            {translate("payroll.runs.approve")}
          </Button>
        )}
        {run.status === "calculated" && blockedBy && (
          <Typography id="approve-blocked" variant="body2" color="error">
            {blockedBy}
          </Typography>
        )}
        {run.status === "approved" && (
          <Button variant="contained" disabled={busy} onClick={() => setConfirming("paid")}>
            {translate("payroll.runs.mark_paid")}
          </Button>
        )}
        {run.status !== "draft" && run.status !== "cancelled" && (
          <Button variant="outlined" onClick={download}>
            {translate("payroll.runs.register_csv")}
          </Button>
        )}
        {(run.status === "draft" || run.status === "calculated") && (
          <Button color="error" disabled={busy} onClick={() => setConfirming("cancel")}>
            {translate("payroll.runs.cancel")}
          </Button>
        )}
      </Stack>
      <Confirm
        isOpen={confirming !== null}
        loading={busy}
        title={translate(`payroll.runs.confirm.${confirming ?? "approve"}_title`)}
        content={translate(`payroll.runs.confirm.${confirming ?? "approve"}`, {
          employees: run.employees,
          net: money(run.net),
          gross: money(run.gross),
          deductions: money(run.deductions),
          employer: money(run.employer_contributions),
          date: formatDate(run.pay_date, locale),
        })}
        confirm={translate(
          confirming === "paid"
            ? "payroll.runs.mark_paid"
            : confirming === "cancel"
              ? "payroll.runs.cancel"
              : "payroll.runs.approve",
        )}
        onConfirm={() => confirming && act(confirming)}
        onClose={() => setConfirming(null)}
      />
    </Box>
  );
}

/** Totals, the amount per rule, each person's gross, deductions and net, and what still blocks approval. */
function Review({ run }: { run: PayRun }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const money = (amount: string) => formatMoney(amount, run.currency, locale);
  return (
    <Stack spacing={2}>
      <Card variant="outlined">
        <CardContent>
          <Typography component="h3" variant="h6">
            {translate("payroll.runs.totals")}
          </Typography>
          <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: 3, rowGap: 0.5 }}>
            <dt>{translate("resources.payroll_runs.fields.employees")}</dt>
            <dd>{run.employees}</dd>
            <dt>{translate("resources.payroll_runs.fields.gross")}</dt>
            <dd>{money(run.gross)}</dd>
            <dt>{translate("resources.payroll_runs.fields.deductions")}</dt>
            <dd>{money(run.deductions)}</dd>
            <dt>{translate("resources.payroll_runs.fields.net")}</dt>
            <dd>{money(run.net)}</dd>
            <dt>{translate("resources.payroll_runs.fields.employer_contributions")}</dt>
            <dd>{money(run.employer_contributions)}</dd>
          </Box>
          {run.by_code.length > 0 && (
            <Table size="small" aria-label={translate("payroll.runs.by_code")} sx={{ mt: 2, maxWidth: 640 }}>
              <TableHead>
                <TableRow>
                  <TableCell>{translate("payroll.payslips.code")}</TableCell>
                  <TableCell>{translate("payroll.payslips.category")}</TableCell>
                  <TableCell align="right">{translate("payroll.payslips.amount")}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {run.by_code.map((line) => (
                  <TableRow key={`${line.category}-${line.code}`}>
                    <TableCell>{line.code}</TableCell>
                    <TableCell>{translate(`payroll.payslips.categories.${line.category}`)}</TableCell>
                    <TableCell align="right">{money(line.amount)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <ReviewTable run={run} />
    </Stack>
  );
}
