import { useState } from "react";
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField as MuiTextField,
  Typography,
} from "@mui/material";
import {
  Create,
  Datagrid,
  DateInput,
  FunctionField,
  List,
  NumberInput,
  SimpleForm,
  TextField,
  TextInput,
  required,
  useDataProvider,
  useLocaleState,
  useNotify,
  useTranslate,
} from "react-admin";
import type { UseQueryResult } from "@tanstack/react-query";
import { Link as RouterLink } from "react-router-dom";
import type { components } from "../../api/schema";
import { fillPath } from "../../api/resources";
import { ProblemError } from "../../api/http";
import { formFieldErrors } from "../../api/problems";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { formatDate, formatDateTime } from "../../format";
import { DayField } from "./common";
import { PAYROLL_ACTIONS } from "./resources";
import { formatRate } from "./minimumRate";

type MinimumPay = components["schemas"]["payroll_MinimumPayRead"];
type Below = components["schemas"]["payroll_BelowMinimum"];
type Checks = components["schemas"]["payroll_PayRunChecks"];

/** The findings this screen shows itself (with the override action), not in the run's general list of blockers. */
export const MINIMUM_PAY_SLUGS = ["below-minimum-pay", "overtime-below-premium"];

/** Every version of the minimum pay, by country, region, agreement group and version. */
export function MinimumPayList() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <List
      title={translate("resources.payroll_minimum_pay.name", { smart_count: 2 })}
      actions={
        <Button component={RouterLink} to="/payroll_minimum_pay/create" variant="contained" sx={{ my: 1 }}>
          {translate("payroll.minimum.new")}
        </Button>
      }
      sort={{ field: "", order: "ASC" }}
      perPage={100}
      empty={false}
    >
      <Typography variant="body2" sx={{ px: 2, pt: 1 }}>
        {translate("payroll.minimum.intro")}
      </Typography>
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField source="country" sortable={false} />
        <FunctionField
          source="region"
          sortable={false}
          render={(r: MinimumPay) => r.region ?? translate("payroll.minimum.whole_country")}
        />
        <FunctionField
          source="agreement_group"
          sortable={false}
          render={(r: MinimumPay) => r.agreement_group ?? translate("payroll.minimum.everyone")}
        />
        <TextField source="version" sortable={false} />
        <DayField source="effective_from" sortable={false} />
        <FunctionField
          source="in_force_to"
          sortable={false}
          render={(r: MinimumPay) => (r.in_force_to ? formatDate(r.in_force_to, locale) : translate("payroll.minimum.open"))}
        />
        <FunctionField
          source="hourly_minimum"
          sortable={false}
          render={(r: MinimumPay) => formatRate(r.hourly_minimum, r.currency, locale)}
        />
        <FunctionField
          source="overtime_premium_percent"
          sortable={false}
          render={(r: MinimumPay) => (r.overtime_premium_percent ? `${r.overtime_premium_percent} %` : "")}
        />
      </Datagrid>
    </List>
  );
}

/** A new version: the API's field errors are shown on the fields (react-admin's form does it). */
export function MinimumPayCreate() {
  const translate = useTranslate();
  return (
    <Create title={translate("payroll.minimum.new")} redirect="list">
      <SimpleForm>
        <Typography variant="body2" sx={{ mb: 2, maxWidth: 640 }}>
          {translate("payroll.minimum.intro")}
        </Typography>
        <TextInput source="country" validate={required()} defaultValue="ES" />
        <TextInput source="region" parse={(v: string) => v || null} />
        <TextInput source="agreement_group" parse={(v: string) => v || null} />
        <DateInput source="effective_from" validate={required()} />
        <DateInput source="effective_to" parse={(v: string) => v || null} />
        <TextInput source="currency" validate={required()} defaultValue="EUR" />
        <TextInput source="hourly_minimum" validate={required()} inputMode="decimal" />
        <NumberInput source="overtime_premium_percent" min={0} max={500} />
      </SimpleForm>
    </Create>
  );
}

/** A run's minimum pay findings (each payslip under the minimum, with the override action) and its overrides. */
export function MinimumPayReview({
  run,
  checks,
}: {
  run: { id: string; status: string; currency: string };
  checks: UseQueryResult<Checks>;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [overriding, setOverriding] = useState<Below | null>(null);
  const findings = checks.data?.findings ?? [];
  const below = findings.find((f) => f.slug === "below-minimum-pay")?.below_minimum ?? [];
  const overtime = findings.find((f) => f.slug === "overtime-below-premium");
  const overrides = checks.data?.overrides ?? [];
  const rate = (amount: string) => formatRate(amount, run.currency, locale);
  if (below.length === 0 && !overtime && overrides.length === 0) return null;
  return (
    <Card variant="outlined" sx={{ my: 2 }}>
      <CardContent>
        <Typography component="h3" variant="h6" gutterBottom>
          {translate("payroll.minimum.findings_title")}
        </Typography>
        {overtime && (
          <Alert severity="error" sx={{ mb: 2 }}>
            <AlertTitle>{translate("payroll.minimum.overtime_title")}</AlertTitle>
            {overtime.message}
          </Alert>
        )}
        {below.length > 0 && (
          <Alert severity="error" sx={{ mb: 2 }}>
            <AlertTitle>{translate("payroll.minimum.below_title")}</AlertTitle>
            {translate("payroll.minimum.below_intro")}
          </Alert>
        )}
        {below.length > 0 && (
          <Table size="small" aria-label={translate("payroll.minimum.below_title")} sx={{ mb: 2 }}>
            <TableHead>
              <TableRow>
                <TableCell>{translate("payroll.minimum.employee")}</TableCell>
                <TableCell align="right">{translate("payroll.minimum.hourly_pay")}</TableCell>
                <TableCell align="right">{translate("payroll.minimum.minimum")}</TableCell>
                <TableCell align="right">{translate("payroll.minimum.shortfall")}</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {below.map((row) => (
                <TableRow key={row.payslip_id}>
                  <TableCell>
                    <RouterLink to={`/payroll_payslips/${encodeURIComponent(row.payslip_id)}/show`}>
                      {row.employee_name}
                    </RouterLink>
                  </TableCell>
                  <TableCell align="right">{rate(row.hourly_pay)}</TableCell>
                  <TableCell align="right">{rate(row.minimum)}</TableCell>
                  <TableCell align="right">{rate(row.shortfall)}</TableCell>
                  <TableCell align="right">
                    {run.status === "calculated" && (
                      <Button
                        size="small"
                        variant="outlined"
                        aria-label={translate("payroll.minimum.override_named", { name: row.employee_name })}
                        onClick={() => setOverriding(row)}
                      >
                        {translate("payroll.minimum.override")}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <Typography component="h4" variant="subtitle1">
          {translate("payroll.minimum.overrides_title")}
        </Typography>
        {overrides.length === 0 ? (
          <Typography variant="body2">{translate("payroll.minimum.no_overrides")}</Typography>
        ) : (
          <Table size="small" aria-label={translate("payroll.minimum.overrides_title")}>
            <TableHead>
              <TableRow>
                <TableCell>{translate("payroll.minimum.employee")}</TableCell>
                <TableCell align="right">{translate("payroll.minimum.hourly_pay")}</TableCell>
                <TableCell align="right">{translate("payroll.minimum.minimum")}</TableCell>
                <TableCell>{translate("payroll.minimum.reason")}</TableCell>
                <TableCell>{translate("payroll.minimum.by")}</TableCell>
                <TableCell>{translate("payroll.minimum.when")}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {overrides.map((o) => (
                <TableRow key={o.id}>
                  <TableCell>
                    <RouterLink to={`/payroll_payslips/${encodeURIComponent(o.payslip_id)}/show`}>
                      {o.employee_name}
                    </RouterLink>{" "}
                    <Chip size="small" variant="outlined" label={translate("payroll.minimum.overridden")} />
                  </TableCell>
                  <TableCell align="right">{rate(o.hourly_pay)}</TableCell>
                  <TableCell align="right">{rate(o.minimum)}</TableCell>
                  <TableCell sx={{ whiteSpace: "pre-wrap" }}>{o.reason}</TableCell>
                  <TableCell>{o.created_by_actor?.name ?? o.created_by ?? ""}</TableCell>
                  <TableCell>{formatDateTime(o.created_at, locale)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
      {overriding && (
        <OverrideDialog
          runId={run.id}
          row={overriding}
          rate={rate}
          onClose={() => setOverriding(null)}
          onDone={async () => {
            setOverriding(null);
            await checks.refetch();
          }}
        />
      )}
    </Card>
  );
}

function OverrideDialog({
  runId,
  row,
  rate,
  onClose,
  onDone,
}: {
  runId: string;
  row: Below;
  rate: (amount: string) => string;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setError(translate("payroll.minimum.reason_required"));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await dataProvider.post(
        fillPath(PAYROLL_ACTIONS.overrides, runId),
        { payslip_id: row.payslip_id, reason },
        { idempotent: false },
      );
      notify("payroll.minimum.done", { type: "success" });
      await onDone();
    } catch (caught) {
      if (caught instanceof ProblemError) setError(formFieldErrors(caught.problem).reason ?? null);
      setProblem(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open onClose={onClose} aria-labelledby="override-title" fullWidth maxWidth="sm">
      <Box component="form" onSubmit={submit} noValidate>
        <DialogTitle id="override-title">{translate("payroll.minimum.override_title")}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {translate("payroll.minimum.override_explain", {
              name: row.employee_name,
              hourly: rate(row.hourly_pay),
              minimum: rate(row.minimum),
            })}
          </DialogContentText>
          {problem && (
            <Alert severity="error" role="alert" sx={{ mb: 2 }}>
              {problem}
            </Alert>
          )}
          <MuiTextField
            autoFocus
            required
            fullWidth
            multiline
            minRows={3}
            name="reason"
            label={translate("payroll.minimum.reason")}
            value={reason}
            onChange={(event) => {
              setReason(event.target.value);
              setError(null);
            }}
            error={!!error}
            helperText={error ?? translate("payroll.minimum.reason_help")}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            {translate("ra.action.cancel")}
          </Button>
          <Button type="submit" variant="contained" disabled={busy}>
            {translate("payroll.minimum.override")}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}
