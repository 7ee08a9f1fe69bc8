import { useState } from "react";
import {
  Alert,
  Box,
  Button,
  CardContent,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import {
  ArrayInput,
  Confirm,
  Create,
  Datagrid,
  DateInput,
  FunctionField,
  List,
  NumberInput,
  ReferenceInput,
  SearchInput,
  SelectInput,
  Show,
  SimpleForm,
  SimpleFormIterator,
  SimpleShowLayout,
  TextField,
  TextInput,
  required,
  useDataProvider,
  useGetIdentity,
  useLocaleState,
  useNotify,
  useRecordContext,
  useShowContext,
  useTranslate,
  AutocompleteInput,
} from "react-admin";
import { fillPath } from "../../api/resources";
import { ProblemError } from "../../api/http";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { formatDate, formatMoney, formatNumber } from "../../format";
import { DayField, MoneyField } from "./common";
import { bicProblem, ibanProblem } from "./iban";
import { PAYROLL_ACTIONS } from "./resources";

const validateIban = [required(), (value: string) => ibanProblem(value)];
const validateBic = (value: string) => bicProblem(value);

export function SupplierList() {
  const translate = useTranslate();
  return (
    <List
      title={translate("payroll.suppliers.title")}
      filters={[<SearchInput key="q" source="q" alwaysOn />]}
      perPage={50}
      sort={{ field: "", order: "ASC" }}
      empty={false}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="name" sortable={false} />
        <TextField source="tax_id" sortable={false} />
        <TextField source="iban_masked" sortable={false} />
        <TextField source="payment_terms_days" sortable={false} />
      </Datagrid>
    </List>
  );
}

/** A new supplier: the bank account is checked as it is typed, then by the API. */
export function SupplierCreate() {
  const translate = useTranslate();
  return (
    <Create title={translate("payroll.suppliers.new")} redirect="show">
      <SimpleForm mode="onChange" reValidateMode="onChange">
        <TextInput source="name" validate={required()} />
        <TextInput source="tax_id" />
        <TextInput source="iban" validate={validateIban} helperText="payroll.suppliers.iban_help" />
        <TextInput source="bic" validate={validateBic} />
        <NumberInput source="payment_terms_days" defaultValue={30} min={0} max={365} />
        <TextInput source="contact_name" />
        <TextInput source="email" type="email" />
      </SimpleForm>
    </Create>
  );
}

export function SupplierShow() {
  const translate = useTranslate();
  return (
    <Show title={translate("resources.payroll_suppliers.name", { smart_count: 1 })}>
      <SimpleShowLayout>
        <TextField source="name" />
        <TextField source="tax_id" />
        <TextField source="iban_masked" />
        <TextField source="bic" />
        <TextField source="payment_terms_days" />
        <TextField source="contact_name" />
        <TextField source="email" />
      </SimpleShowLayout>
    </Show>
  );
}

const INVOICE_STATUSES = ["received", "approved", "on_hold", "scheduled", "paid", "cancelled"];

interface Invoice {
  id: string;
  supplier_name: string;
  number: string;
  invoice_date: string;
  due_date: string;
  currency: string;
  total: string;
  status: string;
  lines: { description: string; quantity: string; unit_price: string; amount: string; expense_account: string }[];
  entered_by: string | null;
  entered_by_actor: { name: string } | null;
  approved_by_actor: { name: string } | null;
  hold_reason: string | null;
}

function useStatusChoices() {
  const translate = useTranslate();
  return INVOICE_STATUSES.map((id) => ({ id, name: translate(`payroll.invoices.status.${id}`, { _: id }) }));
}

export function InvoiceList() {
  const translate = useTranslate();
  const statuses = useStatusChoices();
  return (
    <List
      title={translate("payroll.invoices.title")}
      filters={[
        <SelectInput key="status" source="status" choices={statuses} alwaysOn />,
        <ReferenceInput key="supplier_id" source="supplier_id" reference="payroll_suppliers" alwaysOn>
          <AutocompleteInput optionText="name" label="resources.payroll_invoices.fields.supplier_id" />
        </ReferenceInput>,
        <DateInput key="due_by" source="due_by" />,
      ]}
      perPage={50}
      sort={{ field: "", order: "ASC" }}
      empty={false}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="supplier_name" sortable={false} />
        <TextField source="number" sortable={false} />
        <DayField source="invoice_date" />
        <DayField source="due_date" />
        <MoneyField source="total" textAlign="right" />
        <FunctionField
          source="status"
          sortable={false}
          render={(record: Invoice) => translate(`payroll.invoices.status.${record.status}`, { _: record.status })}
        />
      </Datagrid>
    </List>
  );
}

/** An invoice with its lines; the API adds them up (the total shown later is the API's). */
export function InvoiceCreate() {
  const translate = useTranslate();
  return (
    <Create title={translate("payroll.invoices.new")} redirect="show">
      <SimpleForm>
        <ReferenceInput source="supplier_id" reference="payroll_suppliers">
          <AutocompleteInput optionText="name" validate={required()} />
        </ReferenceInput>
        <TextInput source="number" validate={required()} />
        <DateInput source="invoice_date" validate={required()} />
        <DateInput source="due_date" helperText="payroll.invoices.due_help" />
        <TextInput source="currency" defaultValue="EUR" validate={required()} />
        <ArrayInput source="lines" validate={required()}>
          <SimpleFormIterator inline>
            <TextInput source="description" label="payroll.payslips.description" validate={required()} />
            <TextInput source="quantity" label="payroll.payslips.quantity" defaultValue="1" validate={required()} />
            <TextInput source="unit_price" label="payroll.invoices.unit_price" validate={required()} />
            <TextInput source="expense_account" label="payroll.invoices.account" />
          </SimpleFormIterator>
        </ArrayInput>
      </SimpleForm>
    </Create>
  );
}

export function InvoiceShow() {
  const translate = useTranslate();
  return (
    <Show title={translate("resources.payroll_invoices.name", { smart_count: 1 })} actions={false}>
      <InvoiceBody />
    </Show>
  );
}

function InvoiceBody() {
  const invoice = useRecordContext<Invoice>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { identity } = useGetIdentity();
  if (!invoice) return null;
  const money = (amount: string) => formatMoney(amount, invoice.currency, locale);
  const own = identity?.id !== undefined && invoice.entered_by === identity.id;
  return (
    <CardContent>
      <Typography component="h2" variant="h5">
        {translate("payroll.invoices.heading", { number: invoice.number, supplier: invoice.supplier_name })}
      </Typography>
      <Typography gutterBottom>
        {formatDate(invoice.invoice_date, locale)} · {translate("payroll.invoices.due", { date: formatDate(invoice.due_date, locale) })} ·{" "}
        {translate(`payroll.invoices.status.${invoice.status}`, { _: invoice.status })}
      </Typography>
      <Typography gutterBottom>
        {translate("payroll.invoices.entered_by", { name: invoice.entered_by_actor?.name ?? invoice.entered_by ?? "" })}
        {invoice.approved_by_actor &&
          ` · ${translate("payroll.invoices.approved_by", { name: invoice.approved_by_actor.name })}`}
      </Typography>
      {invoice.hold_reason && <Alert severity="info">{invoice.hold_reason}</Alert>}
      <Table size="small" aria-label={translate("payroll.invoices.lines")} sx={{ my: 2 }}>
        <TableHead>
          <TableRow>
            <TableCell>{translate("payroll.payslips.description")}</TableCell>
            <TableCell align="right">{translate("payroll.payslips.quantity")}</TableCell>
            <TableCell align="right">{translate("payroll.invoices.unit_price")}</TableCell>
            <TableCell>{translate("payroll.invoices.account")}</TableCell>
            <TableCell align="right">{translate("payroll.payslips.amount")}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {invoice.lines.map((line, index) => (
            <TableRow key={index}>
              <TableCell>{line.description}</TableCell>
              <TableCell align="right">{formatNumber(line.quantity, locale)}</TableCell>
              <TableCell align="right">{money(line.unit_price)}</TableCell>
              <TableCell>{line.expense_account}</TableCell>
              <TableCell align="right">{money(line.amount)}</TableCell>
            </TableRow>
          ))}
          <TableRow>
            <TableCell colSpan={4}>
              <strong>{translate("payroll.payslips.total")}</strong>
            </TableCell>
            <TableCell align="right">
              <strong>{money(invoice.total)}</strong>
            </TableCell>
          </TableRow>
        </TableBody>
      </Table>
      {invoice.status === "received" && <ApproveInvoice invoice={invoice} own={own} />}
    </CardContent>
  );
}

/** Four eyes: whoever entered the invoice cannot approve it; the screen says so, and so does the API's refusal. */
function ApproveInvoice({ invoice, own }: { invoice: Invoice; own: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const { refetch } = useShowContext();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);

  async function approve() {
    setBusy(true);
    try {
      await dataProvider.post(fillPath(PAYROLL_ACTIONS.approveInvoice, invoice.id), undefined, { idempotent: false });
      notify("payroll.invoices.approved", { type: "success" });
      setOpen(false);
      await refetch();
    } catch (error) {
      setOpen(false);
      const problem = error instanceof ProblemError ? error.problem : null;
      setRefusal(
        problem?.status === 403
          ? `${translate("payroll.invoices.four_eyes")} (${error instanceof Error ? error.message : ""})`
          : error instanceof Error
            ? error.message
            : String(error),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <Box>
      {own && (
        <Alert severity="info" sx={{ mb: 2 }}>
          {translate("payroll.invoices.own")}
        </Alert>
      )}
      {refusal && (
        <Alert severity="error" role="alert" sx={{ mb: 2 }}>
          {refusal}
        </Alert>
      )}
      <Stack direction="row" spacing={1}>
        <Button variant="contained" onClick={() => setOpen(true)} disabled={busy}>
          {translate("payroll.invoices.approve")}
        </Button>
      </Stack>
      <Confirm
        isOpen={open}
        loading={busy}
        title={translate("payroll.invoices.approve_title")}
        content={translate("payroll.invoices.approve_explain", {
          total: formatMoney(invoice.total, invoice.currency, locale),
          supplier: invoice.supplier_name,
          date: formatDate(invoice.due_date, locale),
        })}
        confirm={translate("payroll.invoices.approve")}
        onConfirm={approve}
        onClose={() => setOpen(false)}
      />
    </Box>
  );
}
