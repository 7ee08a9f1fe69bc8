import { useState } from "react";
import {
  Alert,
  Autocomplete,
  Box,
  Button,
  Card,
  CardContent,
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
import { useDataProvider, useLocaleState, useNotify, useTranslate } from "react-admin";
import { useQuery } from "@tanstack/react-query";
import type { components } from "../../api/schema";
import { fillPath } from "../../api/resources";
import { ProblemError } from "../../api/http";
import { formFieldErrors } from "../../api/problems";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { formatDate, formatMoney } from "../../format";
import { Failed, Loading } from "../../components/States";
import { PAYROLL_ACTIONS } from "./resources";
import { useRunChanges, type ReviewedRun } from "./payrunreview";

type PayItem = components["schemas"]["payroll_PayItemRead"];
type PayItemPage = components["schemas"]["payroll_PayItemPage"];
type PayRunPage = components["schemas"]["payroll_PayRunPage"];

interface Props {
  run: ReviewedRun & { pay_group: string; period_start: string };
  /** Called after a correction is added or cancelled: the run offers to calculate again. */
  onChanged: () => void;
}

/** The corrections and bonuses this run pays (pending ones go into the next calculation), with a form to add one
 * and a button to cancel a pending one. */
export function RunPayItems({ run, onChanged }: Props) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const open = run.status === "draft" || run.status === "calculated";
  const changes = useRunChanges(run);
  const names = new Map((changes.data?.items ?? []).map((c) => [c.employee_id, c.employee_name]));
  const items = useQuery({
    queryKey: ["payroll-run-items", run.id, run.status],
    queryFn: async () => {
      if (open) {
        return (await dataProvider.get<PayItemPage>(PAYROLL_ACTIONS.payItems, { status: "pending", limit: 500 })).items;
      }
      const paid = await dataProvider.get<PayItemPage>(PAYROLL_ACTIONS.payItems, { status: "paid", limit: 500 });
      return paid.items.filter((item) => item.paid_in_run_id === run.id);
    },
  });
  const [problem, setProblem] = useState<string | null>(null);

  async function cancel(item: PayItem) {
    setProblem(null);
    try {
      await dataProvider.post(fillPath(PAYROLL_ACTIONS.cancelPayItem, item.id), undefined, { idempotent: false });
      notify("payroll.runs.items.cancelled", { type: "success" });
      await items.refetch();
      onChanged();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <Card variant="outlined">
      <CardContent>
        <Typography component="h3" variant="h6">
          {translate("payroll.runs.items.title")}
        </Typography>
        <Typography gutterBottom>
          {translate(open ? "payroll.runs.items.explain_open" : "payroll.runs.items.explain_locked")}
        </Typography>
        {problem && (
          <Alert severity="error" role="alert" sx={{ mb: 1 }}>
            {problem}
          </Alert>
        )}
        {items.isPending ? (
          <Loading />
        ) : items.error ? (
          <Failed error={items.error} retry={() => items.refetch()} />
        ) : items.data.length === 0 ? (
          <Typography sx={{ py: 1 }}>{translate("payroll.runs.items.none")}</Typography>
        ) : (
          <Table size="small" aria-label={translate("payroll.runs.items.title")}>
            <TableHead>
              <TableRow>
                <TableCell>{translate("resources.payroll_payslips.fields.employee_name")}</TableCell>
                <TableCell>{translate("payroll.runs.items.kind")}</TableCell>
                <TableCell>{translate("payroll.runs.items.reason")}</TableCell>
                <TableCell>{translate("payroll.runs.items.added")}</TableCell>
                <TableCell align="right">{translate("payroll.payslips.amount")}</TableCell>
                {open && <TableCell>{translate("payroll.runs.items.actions")}</TableCell>}
              </TableRow>
            </TableHead>
            <TableBody>
              {items.data.map((item) => (
                <TableRow key={item.id}>
                  <TableCell>{names.get(item.employee_id) ?? item.employee_id}</TableCell>
                  <TableCell>{translate(`payroll.runs.items.kinds.${item.kind}`)}</TableCell>
                  <TableCell>{item.description}</TableCell>
                  <TableCell>
                    {formatDate(item.created_at, locale)}
                    {item.created_by_actor ? ` · ${item.created_by_actor.name}` : ""}
                  </TableCell>
                  <TableCell align="right">{formatMoney(item.amount, item.currency, locale)}</TableCell>
                  {open && (
                    <TableCell>
                      <Button
                        size="small"
                        color="error"
                        onClick={() => cancel(item)}
                        aria-label={translate("payroll.runs.items.cancel_of", {
                          name: names.get(item.employee_id) ?? item.employee_id,
                        })}
                      >
                        {translate("payroll.runs.items.cancel")}
                      </Button>
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {open && (
          <AddPayItem
            run={run}
            people={(changes.data?.items ?? []).filter((c) => c.payslip_id !== null || c.previous_net !== null)}
            onAdded={async () => {
              await items.refetch();
              onChanged();
            }}
          />
        )}
      </CardContent>
    </Card>
  );
}

interface Person {
  employee_id: string;
  employee_name: string;
  department?: string | null;
}

function AddPayItem({ run, people, onAdded }: { run: Props["run"]; people: Person[]; onAdded: () => Promise<void> }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [person, setPerson] = useState<Person | null>(null);
  const [kind, setKind] = useState<"bonus" | "correction">("bonus");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [corrects, setCorrects] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const approved = useQuery({
    queryKey: ["payroll-approved-runs", run.pay_group],
    enabled: kind === "correction",
    queryFn: async () => {
      const [approvedRuns, paidRuns] = await Promise.all(
        ["approved", "paid"].map((status) =>
          dataProvider.get<PayRunPage>("/api/payroll/payruns", { pay_group: run.pay_group, status, limit: 24 }),
        ),
      );
      return [...approvedRuns.items, ...paidRuns.items].sort((a, b) => b.period_start.localeCompare(a.period_start));
    },
  });

  async function add(event: React.FormEvent) {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!person) missing.employee_id = translate("payroll.runs.items.required");
    if (!amount.trim()) missing.amount = translate("payroll.runs.items.required");
    if (!reason.trim()) missing.description = translate("payroll.runs.items.required");
    if (kind === "correction" && !corrects) missing.corrects_run_id = translate("payroll.runs.items.required");
    setErrors(missing);
    if (Object.keys(missing).length > 0 || !person) return;
    setBusy(true);
    try {
      await dataProvider.post(PAYROLL_ACTIONS.payItems, {
        employee_id: person.employee_id,
        kind,
        amount: amount.trim().replace(",", "."),
        description: reason.trim(),
        corrects_run_id: kind === "correction" ? corrects : null,
      });
      notify("payroll.runs.items.added_note", { type: "success" });
      setPerson(null);
      setAmount("");
      setReason("");
      setCorrects("");
      await onAdded();
    } catch (error) {
      setErrors(fieldErrorsOf(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Box component="form" onSubmit={add} noValidate sx={{ mt: 2 }} aria-labelledby="add-pay-item">
      <Typography component="h4" variant="subtitle1" id="add-pay-item" gutterBottom>
        {translate("payroll.runs.items.add")}
      </Typography>
      {errors._ && (
        <Alert severity="error" role="alert" sx={{ mb: 1 }}>
          {errors._}
        </Alert>
      )}
      <Stack direction="row" spacing={2} useFlexGap flexWrap="wrap" alignItems="flex-start">
        <Autocomplete
          options={people}
          value={person}
          onChange={(_, value) => setPerson(value)}
          getOptionLabel={(option) => `${option.employee_name} (${option.employee_id})`}
          isOptionEqualToValue={(a, b) => a.employee_id === b.employee_id}
          sx={{ minWidth: 280 }}
          renderInput={(params) => (
            <TextField
              {...params}
              size="small"
              label={translate("resources.payroll_payslips.fields.employee_name")}
              error={!!errors.employee_id}
              helperText={errors.employee_id}
            />
          )}
        />
        <TextField
            fullWidth={false}
          select
          size="small"
          label={translate("payroll.runs.items.kind")}
          value={kind}
          onChange={(event) => setKind(event.target.value as "bonus" | "correction")}
          sx={{ minWidth: 160 }}
        >
          <MenuItem value="bonus">{translate("payroll.runs.items.kinds.bonus")}</MenuItem>
          <MenuItem value="correction">{translate("payroll.runs.items.kinds.correction")}</MenuItem>
        </TextField>
        {kind === "correction" && (
          <TextField
            fullWidth={false}
            select
            size="small"
            label={translate("payroll.runs.items.corrects")}
            value={corrects}
            onChange={(event) => setCorrects(event.target.value)}
            error={!!errors.corrects_run_id}
            helperText={errors.corrects_run_id ?? translate("payroll.runs.items.corrects_help")}
            sx={{ minWidth: 220 }}
          >
            {(approved.data ?? []).map((r) => (
              <MenuItem key={r.id} value={r.id}>
                {formatDate(r.period_start, locale)} – {formatDate(r.period_end, locale)}
              </MenuItem>
            ))}
          </TextField>
        )}
        <TextField
            fullWidth={false}
          size="small"
          label={translate("payroll.payslips.amount")}
          value={amount}
          onChange={(event) => setAmount(event.target.value)}
          inputProps={{ inputMode: "decimal" }}
          error={!!errors.amount}
          helperText={errors.amount ?? translate("payroll.runs.items.amount_help", { currency: run.currency })}
          sx={{ width: 180 }}
        />
        <TextField
            fullWidth={false}
          size="small"
          label={translate("payroll.runs.items.reason")}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          error={!!errors.description}
          helperText={errors.description}
          inputProps={{ maxLength: 200 }}
          sx={{ minWidth: 260, flexGrow: 1 }}
        />
        <Button type="submit" variant="outlined" disabled={busy}>
          {translate("payroll.runs.items.add_button")}
        </Button>
      </Stack>
    </Box>
  );
}

/** A problem as errors by field: the schema's (`body.amount`), or the service's "amount: ..." sentence. */
function fieldErrorsOf(error: unknown): Record<string, string> {
  if (error instanceof ProblemError) {
    const fields = formFieldErrors(error.problem);
    if (Object.keys(fields).length > 0) return fields;
    const named = /^(amount|corrects_run_id|description|employee_id): (.*)$/s.exec(error.message);
    if (named) return { [named[1]]: named[2] };
    return { _: error.message };
  }
  return { _: error instanceof Error ? error.message : String(error) };
}
