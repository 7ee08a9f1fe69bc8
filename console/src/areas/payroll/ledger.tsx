import { useState } from "react";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField as MuiTextField,
  Typography,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Link,
} from "@mui/material";
import {
  Datagrid,
  DateInput,
  List,
  Show,
  TextField,
  TextInput,
  Title,
  FunctionField,
  useDataProvider,
  useNotify,
  useRefresh,
  useLocaleState,
  useRecordContext,
  useTranslate,
} from "react-admin";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link as RouterLink, useNavigate } from "react-router-dom";
import { fillPath } from "../../api/resources";
import { ProblemError } from "../../api/http";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { formatDate, formatDateTime, formatMoney } from "../../format";
import { Empty, Failed, Loading } from "../../components/States";
import { DayField, MoneyField } from "./common";
import { PAYROLL_ACTIONS } from "./resources";

interface Entry {
  id: string;
  entry_date: string;
  description: string;
  source: string;
  currency: string;
  total: string;
  reverses_entry_id: string | null;
  reversed_by_entry_id: string | null;
  lines: { account: string; debit: string; credit: string; description: string | null }[];
}

interface TrialBalance {
  as_of: string;
  currency: string;
  rows: { account: string; name: string; type: string; debit: string; credit: string; balance: string }[];
  total_debit: string;
  total_credit: string;
  balanced: boolean;
}

/** The journal, latest first, filtered by where the entries came from and by date. */
export function JournalList() {
  const translate = useTranslate();
  return (
    <List
      title={translate("payroll.ledger.journal")}
      filters={[
        <TextInput key="q" source="q" label="payroll.ledger_more.text" alwaysOn />,
        <TextInput key="account" source="account" label="payroll.ledger.account" alwaysOn />,
        <TextInput key="source" source="source" alwaysOn />,
        <DateInput key="since" source="since" alwaysOn />,
        <DateInput key="until" source="until" alwaysOn />,
      ]}
      perPage={50}
      sort={{ field: "", order: "ASC" }}
      empty={false}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <DayField source="entry_date" />
        <TextField source="description" sortable={false} />
        <TextField source="source" sortable={false} />
        <MoneyField source="total" textAlign="right" />
        <FunctionField
          label="payroll.ledger_more.reversal"
          render={(entry: Entry) =>
            entry.reversed_by_entry_id ? (
              <ReversalMark label="payroll.ledger_more.reversed" />
            ) : entry.reverses_entry_id ? (
              <ReversalMark label="payroll.ledger_more.is_reversal" />
            ) : (
              ""
            )
          }
        />
      </Datagrid>
    </List>
  );
}

export function JournalShow() {
  const translate = useTranslate();
  return (
    <Show title={translate("resources.payroll_journal.name", { smart_count: 1 })} actions={false}>
      <EntryBody />
    </Show>
  );
}

function EntryBody() {
  const entry = useRecordContext<Entry>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!entry) return null;
  const money = (amount: string) => formatMoney(amount, entry.currency, locale);
  return (
    <CardContent>
      <Typography component="h2" variant="h5">
        {entry.description}
      </Typography>
      <Typography gutterBottom>
        {formatDate(entry.entry_date, locale)} · {translate("resources.payroll_journal.fields.source")}: {entry.source}
      </Typography>
      {entry.reverses_entry_id && (
        <Alert severity="info">
          {translate("payroll.ledger_more.reverses")}{" "}
          <Link component={RouterLink} to={`/payroll_journal/${encodeURIComponent(entry.reverses_entry_id)}/show`}>
            {translate("payroll.ledger_more.open_original")}
          </Link>
        </Alert>
      )}
      {entry.reversed_by_entry_id ? (
        <Alert severity="info">
          {translate("payroll.ledger_more.reversed_by")}{" "}
          <Link component={RouterLink} to={`/payroll_journal/${encodeURIComponent(entry.reversed_by_entry_id)}/show`}>
            {translate("payroll.ledger_more.open_reversal")}
          </Link>
        </Alert>
      ) : (
        !entry.reverses_entry_id && <ReverseButton entry={entry} />
      )}
      <Table size="small" aria-label={translate("payroll.ledger.lines")} sx={{ my: 2 }}>
        <TableHead>
          <TableRow>
            <TableCell>{translate("payroll.ledger.account")}</TableCell>
            <TableCell>{translate("payroll.payslips.description")}</TableCell>
            <TableCell align="right">{translate("payroll.ledger.debit")}</TableCell>
            <TableCell align="right">{translate("payroll.ledger.credit")}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {entry.lines.map((line, index) => (
            <TableRow key={index}>
              <TableCell>{line.account}</TableCell>
              <TableCell>{line.description ?? ""}</TableCell>
              <TableCell align="right">{Number(line.debit) ? money(line.debit) : ""}</TableCell>
              <TableCell align="right">{Number(line.credit) ? money(line.credit) : ""}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </CardContent>
  );
}

/** Debits and credits per account as of a day, in one currency at a time (each balances on its own). */
export function TrialBalancePage() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [asOf, setAsOf] = useState("");
  const [currency, setCurrency] = useState("");
  const valid = currency === "" || /^[A-Za-z]{3}$/.test(currency);
  const balance = useQuery({
    queryKey: ["payroll-trial-balance", asOf, currency],
    enabled: valid,
    queryFn: () =>
      dataProvider.get<TrialBalance>(PAYROLL_ACTIONS.trialBalance, {
        as_of: asOf || undefined,
        currency: currency ? currency.toUpperCase() : undefined,
      }),
  });
  const money = (amount: string) => formatMoney(amount, balance.data?.currency ?? "EUR", locale);
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("payroll.ledger.trial_balance")} />
      <CardContent>
        <Typography component="h2" variant="h5" gutterBottom>
          {translate("payroll.ledger.trial_balance")}
        </Typography>
        <Stack direction="row" spacing={2} sx={{ mb: 2 }}>
          <MuiTextField
            type="date"
            label={translate("payroll.ledger.as_of")}
            value={asOf}
            onChange={(event) => setAsOf(event.target.value)}
            InputLabelProps={{ shrink: true }}
          />
          <MuiTextField
            label={translate("payroll.ledger.currency")}
            value={currency}
            onChange={(event) => setCurrency(event.target.value)}
            error={!valid}
            helperText={valid ? translate("payroll.ledger.currency_help") : translate("payroll.ledger.currency_bad")}
            inputProps={{ maxLength: 3 }}
          />
        </Stack>
        {balance.isPending ? (
          <Loading />
        ) : balance.error ? (
          <Failed error={balance.error} retry={() => balance.refetch()} />
        ) : balance.data.rows.length === 0 ? (
          <Empty />
        ) : (
          <Box>
            <Typography gutterBottom>
              {translate("payroll.ledger.as_of_is", {
                date: formatDate(balance.data.as_of, locale),
                currency: balance.data.currency,
              })}{" "}
              ·{" "}
              <strong>
                {translate(balance.data.balanced ? "payroll.ledger.balanced" : "payroll.ledger.unbalanced")}
              </strong>
            </Typography>
            <Table size="small" aria-label={translate("payroll.ledger.trial_balance")}>
              <TableHead>
                <TableRow>
                  <TableCell>{translate("payroll.ledger.account")}</TableCell>
                  <TableCell>{translate("payroll.ledger.name")}</TableCell>
                  <TableCell>{translate("payroll.ledger.type")}</TableCell>
                  <TableCell align="right">{translate("payroll.ledger.debit")}</TableCell>
                  <TableCell align="right">{translate("payroll.ledger.credit")}</TableCell>
                  <TableCell align="right">{translate("payroll.ledger.balance")}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {balance.data.rows.map((row) => (
                  <TableRow key={row.account}>
                    <TableCell>{row.account}</TableCell>
                    <TableCell>{row.name}</TableCell>
                    <TableCell>{translate(`payroll.ledger.types.${row.type}`, { _: row.type })}</TableCell>
                    <TableCell align="right">{money(row.debit)}</TableCell>
                    <TableCell align="right">{money(row.credit)}</TableCell>
                    <TableCell align="right">{money(row.balance)}</TableCell>
                  </TableRow>
                ))}
                <TableRow>
                  <TableCell colSpan={3}>
                    <strong>{translate("payroll.payslips.total")}</strong>
                  </TableCell>
                  <TableCell align="right">
                    <strong>{money(balance.data.total_debit)}</strong>
                  </TableCell>
                  <TableCell align="right">
                    <strong>{money(balance.data.total_credit)}</strong>
                  </TableCell>
                  <TableCell />
                </TableRow>
              </TableBody>
            </Table>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

function ReversalMark({ label }: { label: string }) {
  const translate = useTranslate();
  return <span>{translate(label)}</span>;
}

/**
 * Reverses an entry after a confirmation: a new entry with every line's sides swapped, dated the day chosen
 * (today by default). The original is never edited; both link to each other.
 */
function ReverseButton({ entry }: { entry: Entry }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const navigate = useNavigate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [day, setDay] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function reverse() {
    if (!reason.trim()) {
      setErrors({ reason: translate("payroll.ledger_more.reason_required") });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const reversal = await dataProvider.post<Entry>(fillPath(PAYROLL_ACTIONS.reversal, entry.id), {
        reason: reason.trim(),
        entry_date: day || undefined,
      });
      notify("payroll.ledger_more.reversed_done", { type: "success" });
      setOpen(false);
      refresh();
      navigate(`/payroll_journal/${encodeURIComponent(reversal.id)}/show`);
    } catch (failure) {
      if (failure instanceof ProblemError) {
        const found: Record<string, string> = {};
        for (const error of failure.problem.errors ?? []) found[error.field.replace(/^body\./, "")] = error.message;
        if (!Object.keys(found).length) found[""] = failure.message;
        setErrors(found);
      } else {
        setErrors({ "": String(failure) });
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button variant="outlined" color="error" onClick={() => setOpen(true)} sx={{ mt: 1 }}>
        {translate("payroll.ledger_more.reverse")}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby="reverse-title" fullWidth>
        <DialogTitle id="reverse-title">{translate("payroll.ledger_more.reverse_title")}</DialogTitle>
        <DialogContent>
          <Typography sx={{ mb: 2 }}>{translate("payroll.ledger_more.reverse_explain")}</Typography>
          {errors[""] && (
            <Alert severity="error" role="alert" sx={{ mb: 2 }}>
              {errors[""]}
            </Alert>
          )}
          <Stack spacing={2} sx={{ pt: 1 }}>
            <MuiTextField
              autoFocus
              required
              fullWidth
              label={translate("payroll.ledger_more.reason")}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              error={Boolean(errors.reason)}
              helperText={errors.reason}
              inputProps={{ maxLength: 500 }}
            />
            <MuiTextField
              type="date"
              label={translate("payroll.ledger_more.reversal_date")}
              value={day}
              onChange={(event) => setDay(event.target.value)}
              error={Boolean(errors.entry_date)}
              helperText={errors.entry_date ?? translate("payroll.ledger_more.reversal_date_help")}
              InputLabelProps={{ shrink: true }}
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate("app.actions.cancel")}</Button>
          <Button color="error" variant="contained" disabled={busy} onClick={() => void reverse()}>
            {translate("payroll.ledger_more.reverse")}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

interface ClosedPeriod {
  period: string;
  closed_at: string;
  closed_by_actor?: { name: string | null } | null;
}

/** The months closed to posting, and closing one more (after a confirmation: nothing can be posted into it after). */
export function ClosedPeriodsPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [period, setPeriod] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const closed = useQuery({
    queryKey: ["payroll-closed-periods"],
    queryFn: () => dataProvider.get<{ items: ClosedPeriod[] }>(PAYROLL_ACTIONS.closedPeriods, { limit: 100 }),
  });

  async function close() {
    setBusy(true);
    try {
      await dataProvider.post(fillPath(PAYROLL_ACTIONS.closePeriod, period), undefined, { idempotent: false });
      notify("payroll.ledger_more.closed_done", { type: "success", messageArgs: { period } });
      setConfirming(false);
      setPeriod("");
      await queryClient.invalidateQueries({ queryKey: ["payroll-closed-periods"] });
    } catch (failure) {
      setConfirming(false);
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("payroll.ledger_more.periods")} />
      <CardContent>
        <Typography component="h2" variant="h5" gutterBottom>
          {translate("payroll.ledger_more.periods")}
        </Typography>
        <Typography sx={{ mb: 2 }}>{translate("payroll.ledger_more.periods_explain")}</Typography>
        <Stack direction="row" spacing={2} alignItems="flex-start" sx={{ mb: 2 }}>
          <MuiTextField
            type="month"
            label={translate("payroll.ledger_more.month")}
            value={period}
            onChange={(event) => {
              setPeriod(event.target.value);
              setError("");
            }}
            error={Boolean(error)}
            helperText={error || translate("payroll.ledger_more.month_help")}
            InputLabelProps={{ shrink: true }}
            sx={{ width: 260 }}
          />
          <Button
            variant="contained"
            color="error"
            disabled={!/^\d{4}-(0[1-9]|1[0-2])$/.test(period) || busy}
            onClick={() => setConfirming(true)}
            sx={{ mt: 1, whiteSpace: "nowrap" }}
          >
            {translate("payroll.ledger_more.close")}
          </Button>
        </Stack>
        <Dialog open={confirming} onClose={() => setConfirming(false)} aria-labelledby="close-title">
          <DialogTitle id="close-title">{translate("payroll.ledger_more.close_title", { period })}</DialogTitle>
          <DialogContent>
            <Typography>{translate("payroll.ledger_more.close_explain", { period })}</Typography>
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setConfirming(false)}>{translate("app.actions.cancel")}</Button>
            <Button color="error" variant="contained" disabled={busy} onClick={() => void close()}>
              {translate("payroll.ledger_more.close")}
            </Button>
          </DialogActions>
        </Dialog>
        {closed.isPending ? (
          <Loading />
        ) : closed.error ? (
          <Failed error={closed.error} retry={() => closed.refetch()} />
        ) : closed.data.items.length === 0 ? (
          <Empty message={translate("payroll.ledger_more.none_closed")} />
        ) : (
          <ClosedTable periods={closed.data.items} />
        )}
      </CardContent>
    </Card>
  );
}

function ClosedTable({ periods }: { periods: ClosedPeriod[] }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <Table size="small" aria-label={translate("payroll.ledger_more.periods")}>
      <TableHead>
        <TableRow>
          <TableCell>{translate("payroll.ledger_more.month")}</TableCell>
          <TableCell>{translate("payroll.ledger_more.closed_at")}</TableCell>
          <TableCell>{translate("payroll.ledger_more.closed_by")}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {periods.map((row) => (
          <TableRow key={row.period}>
            <TableCell>{row.period}</TableCell>
            <TableCell>{formatDateTime(row.closed_at, locale)}</TableCell>
            <TableCell>{row.closed_by_actor?.name ?? ""}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
