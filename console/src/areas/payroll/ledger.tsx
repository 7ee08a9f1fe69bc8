import { useState } from "react";
import {
  Alert,
  Box,
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
} from "@mui/material";
import {
  Datagrid,
  DateInput,
  List,
  Show,
  TextField,
  TextInput,
  Title,
  useDataProvider,
  useLocaleState,
  useRecordContext,
  useTranslate,
} from "react-admin";
import { useQuery } from "@tanstack/react-query";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { formatDate, formatMoney } from "../../format";
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
        <Alert severity="info">{translate("payroll.ledger.reverses", { id: entry.reverses_entry_id })}</Alert>
      )}
      {entry.reversed_by_entry_id && (
        <Alert severity="info">{translate("payroll.ledger.reversed_by", { id: entry.reversed_by_entry_id })}</Alert>
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
