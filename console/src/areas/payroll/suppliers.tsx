import { useEffect, useRef, useState } from "react";
import {
  Alert,
  Box,
  Button,
  CardContent,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Link,
  List as MuiList,
  ListItem,
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
  ArrayInput,
  Confirm,
  Create,
  Datagrid,
  DateInput,
  FileField,
  FileInput,
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
  useRedirect,
  useShowContext,
  useTranslate,
  AutocompleteInput,
} from "react-admin";
import { useWatch } from "react-hook-form";
import { useQuery } from "@tanstack/react-query";
import { Link as RouterLink } from "react-router-dom";
import { call } from "../../api/http";
import { fillPath } from "../../api/resources";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { formatDate, formatDateTime, formatMoney, formatNumber } from "../../format";
import { DayField, MoneyField, saveResponse } from "./common";
import { bicProblem, ibanGroups, ibanProblem } from "./iban";
import { previewTotal } from "./invoiceTotal";
import { PAYABLES_ACTIONS, PAYROLL_ACTIONS } from "./resources";

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

/** Under the IBAN: what is wrong as it is typed (the field's error), else that its check digits are right. */
function IbanHelp() {
  const translate = useTranslate();
  const iban = useWatch({ name: "iban" }) as string | undefined;
  if (!iban || ibanProblem(iban)) return <>{translate("payroll.suppliers.iban_help")}</>;
  return <>{translate("payroll.suppliers_more.iban_ok", { iban: ibanGroups(iban) })}</>;
}

function BicHelp() {
  const translate = useTranslate();
  const bic = useWatch({ name: "bic" }) as string | undefined;
  if (!bic || bicProblem(bic)) return <>{translate("payroll.suppliers_more.bic_help")}</>;
  return <>{translate("payroll.suppliers_more.bic_ok")}</>;
}

/** A new supplier: the bank account is checked as it is typed, then by the API (its refusals under the field). */
export function SupplierCreate() {
  const translate = useTranslate();
  return (
    <Create title={translate("payroll.suppliers.new")} redirect="show">
      <SimpleForm mode="onChange" reValidateMode="onChange">
        <TextInput source="name" validate={required()} />
        <TextInput source="tax_id" />
        <TextInput source="iban" validate={validateIban} helperText={<IbanHelp />} sx={{ minWidth: 360 }} />
        <TextInput source="bic" validate={validateBic} helperText={<BicHelp />} />
        <NumberInput source="payment_terms_days" defaultValue={30} min={0} max={365} />
        <TextInput source="contact_name" />
        <TextInput source="email" type="email" helperText="payroll.suppliers_more.email_help" />
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

interface Attachment {
  document_id: string;
  attached_by_actor: { name: string | null } | null;
  attached_at: string;
}

interface Invoice {
  id: string;
  supplier_id: string;
  supplier_name: string;
  number: string;
  invoice_date: string;
  due_date: string;
  currency: string;
  total: string;
  status: string;
  lines: { description: string; quantity: string; unit_price: string; amount: string; expense_account: string }[];
  attachments: Attachment[];
  entered_by: string | null;
  entered_by_actor: { name: string } | null;
  approved_by_actor: { name: string } | null;
  hold_reason: string | null;
  hold_until: string | null;
  payment_run_id: string | null;
  paid_on: string | null;
}

function useStatusChoices() {
  const translate = useTranslate();
  return INVOICE_STATUSES.map((id) => ({ id, name: translate(`payroll.invoices.status.${id}`, { _: id }) }));
}

/** The status as a person reads it; a hold with its reason and release day. */
function StatusText({ invoice }: { invoice: Invoice }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const status = translate(`payroll.invoices.status.${invoice.status}`, { _: invoice.status });
  if (invoice.status !== "on_hold") return <>{status}</>;
  return (
    <>
      {status}: {invoice.hold_reason}
      {invoice.hold_until && ` (${translate("payroll.invoices_more.until", { date: formatDate(invoice.hold_until, locale) })})`}
    </>
  );
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
        <FunctionField source="status" sortable={false} render={(record: Invoice) => <StatusText invoice={record} />} />
      </Datagrid>
    </List>
  );
}

/** Files a scan in docs (readable by payroll, linked to the supplier) and returns its document id. */
async function fileScan(dataProvider: ConsoleDataProvider, file: File, invoice: Pick<Invoice, "supplier_id" | "number">) {
  const upload = new FormData();
  upload.append("file", file);
  upload.append("title", `${invoice.number} ${file.name}`.slice(0, 300));
  upload.append("type", "supplier_invoice");
  upload.append("roles", "payroll");
  upload.append("supplier_id", invoice.supplier_id);
  upload.append("tags", "supplier_invoice");
  return (await dataProvider.post<{ id: string }>("/api/docs/documents", upload)).id;
}

/** Attaches a filed scan to the invoice (the API keeps who attached it and when). */
async function attachScan(dataProvider: ConsoleDataProvider, invoice: Pick<Invoice, "id" | "supplier_id" | "number">, file: File) {
  const documentId = await fileScan(dataProvider, file, invoice);
  await dataProvider.post(fillPath(PAYABLES_ACTIONS.attachToInvoice, invoice.id), { document_ids: [documentId] });
}

/** The total the API will compute (each line rounded half-up to the cent, then added), or why there is none yet. */
function TotalPreview() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const lines = useWatch({ name: "lines" }) as { quantity?: string; unit_price?: string }[] | undefined;
  const currency = ((useWatch({ name: "currency" }) as string | undefined) ?? "EUR").toUpperCase();
  const total = /^[A-Z]{3}$/.test(currency) ? previewTotal(lines, currency) : null;
  return (
    <Typography role="status" aria-live="polite" sx={{ my: 1 }}>
      {total === null
        ? translate("payroll.invoices_more.preview_none")
        : translate("payroll.invoices_more.preview", { total: formatMoney(total, currency, locale) })}
    </Typography>
  );
}

interface InvoicePage {
  items: Invoice[];
  total: number;
}

/** What the API has already from this supplier with this number, or with this date and total: a warning to read
 * before saving (the API refuses the same number again; the same date and total may be a second invoice). */
function DuplicateWarning() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const supplier = useWatch({ name: "supplier_id" }) as string | undefined;
  const number = ((useWatch({ name: "number" }) as string | undefined) ?? "").trim();
  const day = useWatch({ name: "invoice_date" }) as string | undefined;
  const lines = useWatch({ name: "lines" }) as { quantity?: string; unit_price?: string }[] | undefined;
  const currency = ((useWatch({ name: "currency" }) as string | undefined) ?? "EUR").toUpperCase();
  const total = /^[A-Z]{3}$/.test(currency) ? previewTotal(lines, currency) : null;
  const [asked, setAsked] = useState<{ supplier?: string; number: string; day?: string; total: string | null }>({
    number: "",
    total: null,
  });
  useEffect(() => {
    const timer = setTimeout(() => setAsked({ supplier, number, day, total }), 400); // once typing pauses
    return () => clearTimeout(timer);
  }, [supplier, number, day, total]);
  const found = useQuery({
    queryKey: ["payroll_invoice_duplicates", asked],
    enabled: Boolean(asked.supplier && (asked.number || (asked.day && asked.total))),
    queryFn: async () => {
      const sameNumber = asked.number
        ? (await dataProvider.get<InvoicePage>("/api/payroll/invoices", { supplier_id: asked.supplier, number: asked.number, limit: 5 })).items
        : [];
      const sameFigures =
        asked.day && asked.total
          ? (
              await dataProvider.get<InvoicePage>("/api/payroll/invoices", {
                supplier_id: asked.supplier,
                invoice_date: asked.day,
                total: asked.total,
                limit: 5,
              })
            ).items.filter((i) => i.currency === currency && i.status !== "cancelled")
          : [];
      return { sameNumber, sameFigures: sameFigures.filter((i) => !sameNumber.some((n) => n.id === i.id)) };
    },
  });
  if (!found.data || (found.data.sameNumber.length === 0 && found.data.sameFigures.length === 0)) return null;
  const describe = (i: Invoice) =>
    translate("payroll.invoices_more.duplicate_item", {
      number: i.number,
      date: formatDate(i.invoice_date, locale),
      total: formatMoney(i.total, i.currency, locale),
      status: translate(`payroll.invoices.status.${i.status}`, { _: i.status }),
    });
  return (
    <Alert severity="warning" sx={{ my: 1 }} aria-live="polite">
      {found.data.sameNumber.length > 0 && (
        <Typography variant="body2">{translate("payroll.invoices_more.duplicate_number")}</Typography>
      )}
      {found.data.sameNumber.length === 0 && (
        <Typography variant="body2">{translate("payroll.invoices_more.duplicate_figures")}</Typography>
      )}
      <MuiList dense disablePadding>
        {[...found.data.sameNumber, ...found.data.sameFigures].map((i) => (
          <ListItem key={i.id} disableGutters>
            <Link component={RouterLink} to={`/payroll_invoices/${encodeURIComponent(i.id)}/show`} target="_blank">
              {describe(i)}
            </Link>
          </ListItem>
        ))}
      </MuiList>
    </Alert>
  );
}

/** An invoice with its lines and its scan; the API adds the lines up (the total shown once saved is the API's).
 * The scan is filed in docs once the invoice is saved, then attached: a refused invoice leaves no stray file. */
export function InvoiceCreate() {
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const scan = useRef<File | null>(null);

  function transform(values: Record<string, unknown>) {
    const { scan: chosen, ...invoice } = values;
    scan.current = ((chosen as { rawFile?: File } | null | undefined)?.rawFile as File | undefined) ?? null;
    return invoice;
  }

  async function saved(invoice: Invoice) {
    if (scan.current) {
      try {
        await attachScan(dataProvider, invoice, scan.current);
      } catch (error) {
        notify(`${translate("payroll.invoices_more.scan_failed")}: ${error instanceof Error ? error.message : String(error)}`, {
          type: "error",
        });
        redirect("show", "payroll_invoices", invoice.id);
        return;
      }
    }
    notify("ra.notification.created", { type: "info", messageArgs: { smart_count: 1 } });
    redirect("show", "payroll_invoices", invoice.id);
  }

  return (
    <Create title={translate("payroll.invoices.new")} transform={transform} mutationOptions={{ onSuccess: saved }}>
      <SimpleForm>
        <ReferenceInput source="supplier_id" reference="payroll_suppliers">
          <AutocompleteInput optionText="name" validate={required()} sx={{ minWidth: 320 }} />
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
        <TotalPreview />
        <DuplicateWarning />
        <FileInput
          source="scan"
          label="payroll.invoices_more.scan"
          helperText={translate("payroll.invoices_more.scan_help")}
          accept={{ "application/pdf": [".pdf"], "image/*": [".png", ".jpg", ".jpeg", ".tif", ".tiff"] }}
          inputProps={{ "aria-label": translate("payroll.invoices_more.scan") }}
        >
          <FileField source="src" title="title" />
        </FileInput>
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
        {invoice.paid_on && ` · ${translate("payroll.invoices_more.paid_on", { date: formatDate(invoice.paid_on, locale) })}`}
      </Typography>
      <Typography gutterBottom>
        {translate("payroll.invoices.entered_by", { name: invoice.entered_by_actor?.name ?? invoice.entered_by ?? "" })}
        {invoice.approved_by_actor &&
          ` · ${translate("payroll.invoices.approved_by", { name: invoice.approved_by_actor.name })}`}
      </Typography>
      {invoice.status === "on_hold" && (
        <Alert severity="info" sx={{ my: 1 }}>
          {translate("payroll.invoices_more.held", {
            reason: invoice.hold_reason ?? "",
            until: invoice.hold_until
              ? translate("payroll.invoices_more.until", { date: formatDate(invoice.hold_until, locale) })
              : translate("payroll.invoices_more.until_released"),
          })}
        </Alert>
      )}
      {invoice.payment_run_id && (
        <Typography gutterBottom>
          <Link component={RouterLink} to={`/payroll_payment_runs/${encodeURIComponent(invoice.payment_run_id)}/show`}>
            {translate("payroll.invoices_more.payment_run")}
          </Link>
        </Typography>
      )}
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
      <Attachments invoice={invoice} />
      <InvoiceActions invoice={invoice} own={own} />
    </CardContent>
  );
}

interface DocumentMeta {
  id: string;
  title: string;
  filename?: string | null;
}

/** The scans attached to the invoice, each downloaded with the session's token; another can be attached. */
function Attachments({ invoice }: { invoice: Invoice }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const { refetch } = useShowContext();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [busy, setBusy] = useState(false);
  const ids = invoice.attachments.map((a) => a.document_id);
  const titles = useQuery({
    queryKey: ["payroll_invoice_documents", ids],
    enabled: ids.length > 0,
    queryFn: async () => {
      const metas = await Promise.all(
        ids.map((id) =>
          dataProvider
            .get<DocumentMeta>(fillPath("/api/docs/documents/{document_id}", id))
            .catch(() => ({ id, title: id }) as DocumentMeta),
        ),
      );
      return Object.fromEntries(metas.map((m) => [m.id, m.title]));
    },
  });

  async function download(documentId: string) {
    try {
      const response = await call(fillPath("/api/docs/documents/{document_id}/content", documentId));
      await saveResponse(response, titles.data?.[documentId] ?? documentId);
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
    }
  }

  async function attach(file: File) {
    setBusy(true);
    try {
      await attachScan(dataProvider, invoice, file);
      notify("payroll.invoices_more.scan_attached", { type: "success" });
      await refetch();
    } catch (error) {
      notify(`${translate("payroll.invoices_more.scan_failed")}: ${error instanceof Error ? error.message : String(error)}`, {
        type: "error",
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Box component="section" aria-labelledby="invoice-attachments" sx={{ my: 2 }}>
      <Typography id="invoice-attachments" component="h3" variant="h6">
        {translate("payroll.invoices_more.attachments")}
      </Typography>
      {invoice.attachments.length === 0 ? (
        <Typography>{translate("payroll.invoices_more.no_attachments")}</Typography>
      ) : (
        <MuiList dense>
          {invoice.attachments.map((a) => (
            <ListItem key={a.document_id} disableGutters>
              <Link component="button" type="button" onClick={() => download(a.document_id)}>
                {translate("payroll.invoices_more.download", { title: titles.data?.[a.document_id] ?? a.document_id })}
              </Link>
              <Typography component="span" variant="body2" sx={{ ml: 1 }}>
                {translate("payroll.invoices_more.attached_by", {
                  name: a.attached_by_actor?.name ?? "",
                  when: formatDateTime(a.attached_at, locale),
                })}
              </Typography>
            </ListItem>
          ))}
        </MuiList>
      )}
      <Button component="label" variant="outlined" size="small" disabled={busy}>
        {translate("payroll.invoices_more.attach")}
        <input
          hidden
          type="file"
          accept="application/pdf,image/*"
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = "";
            if (file) void attach(file);
          }}
        />
      </Button>
    </Box>
  );
}

/** Four eyes: whoever entered the invoice cannot approve it (the button says why); holds with a reason and a
 * release day, released by hand; a cancel that says what it undoes. */
function InvoiceActions({ invoice, own }: { invoice: Invoice; own: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const { refetch } = useShowContext();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [confirming, setConfirming] = useState<"approve" | "cancel" | null>(null);
  const [holding, setHolding] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);

  async function act(path: string, body: unknown, done: string) {
    setBusy(true);
    setRefusal(null);
    try {
      await dataProvider.post(fillPath(path, invoice.id), body, { idempotent: false });
      notify(done, { type: "success" });
      setConfirming(null);
      setHolding(false);
      await refetch();
      return undefined;
    } catch (error) {
      setConfirming(null);
      const message = error instanceof Error ? error.message : String(error);
      setRefusal(message);
      return message;
    } finally {
      setBusy(false);
    }
  }

  const open = ["received", "approved", "on_hold"].includes(invoice.status);
  if (!open) return null;
  return (
    <Box>
      {refusal && (
        <Alert severity="error" role="alert" sx={{ mb: 2 }}>
          {refusal}
        </Alert>
      )}
      <Stack direction="row" spacing={2} useFlexGap flexWrap="wrap" alignItems="center">
        {invoice.status === "received" && (
          <>
            <Button
              variant="contained"
              onClick={() => setConfirming("approve")}
              disabled={busy || own}
              aria-describedby={own ? "own-invoice" : undefined}
            >
              {translate("payroll.invoices.approve")}
            </Button>
            {own && (
              <Typography id="own-invoice" variant="body2">
                {translate("payroll.invoices_more.own_reason")}
              </Typography>
            )}
          </>
        )}
        {invoice.status === "on_hold" ? (
          <Button
            variant="outlined"
            disabled={busy}
            onClick={() => act(PAYABLES_ACTIONS.releaseInvoice, undefined, "payroll.invoices_more.released")}
          >
            {translate("payroll.invoices_more.release")}
          </Button>
        ) : (
          <Button variant="outlined" disabled={busy} onClick={() => setHolding(true)}>
            {translate("payroll.invoices_more.hold")}
          </Button>
        )}
        <Button color="error" disabled={busy} onClick={() => setConfirming("cancel")}>
          {translate("payroll.invoices_more.cancel")}
        </Button>
      </Stack>
      <Confirm
        isOpen={confirming === "approve"}
        loading={busy}
        title={translate("payroll.invoices.approve_title")}
        content={translate("payroll.invoices.approve_explain", {
          total: formatMoney(invoice.total, invoice.currency, locale),
          supplier: invoice.supplier_name,
          date: formatDate(invoice.due_date, locale),
        })}
        confirm={translate("payroll.invoices.approve")}
        onConfirm={() => act(PAYROLL_ACTIONS.approveInvoice, undefined, "payroll.invoices.approved")}
        onClose={() => setConfirming(null)}
      />
      <Confirm
        isOpen={confirming === "cancel"}
        loading={busy}
        title={translate("payroll.invoices_more.cancel_title")}
        content={translate(
          invoice.approved_by_actor ? "payroll.invoices_more.cancel_explain_posted" : "payroll.invoices_more.cancel_explain",
          { number: invoice.number, supplier: invoice.supplier_name },
        )}
        confirm={translate("payroll.invoices_more.cancel")}
        confirmColor="warning"
        onConfirm={() => act(PAYABLES_ACTIONS.cancelInvoice, undefined, "payroll.invoices_more.cancelled")}
        onClose={() => setConfirming(null)}
      />
      <HoldDialog
        open={holding}
        busy={busy}
        onClose={() => setHolding(false)}
        onHold={(reason, until) =>
          act(PAYABLES_ACTIONS.holdInvoice, { reason, until: until || null }, "payroll.invoices_more.held_done")
        }
      />
    </Box>
  );
}

function HoldDialog({
  open,
  busy,
  onClose,
  onHold,
}: {
  open: boolean;
  busy: boolean;
  onClose: () => void;
  onHold: (reason: string, until: string) => Promise<string | undefined>;
}) {
  const translate = useTranslate();
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const untilProblem = problem && /until/.test(problem) ? problem : null;
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="hold-title">
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setProblem(await onHold(reason.trim(), until) ?? null);
        }}
      >
        <DialogTitle id="hold-title">{translate("payroll.invoices_more.hold_title")}</DialogTitle>
        <DialogContent>
          <Typography gutterBottom>{translate("payroll.invoices_more.hold_explain")}</Typography>
          <MuiTextField
            name="reason"
            label={translate("payroll.invoices_more.hold_reason")}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            required
            fullWidth
            multiline
            margin="dense"
            inputProps={{ maxLength: 500 }}
            error={Boolean(problem && !untilProblem)}
            helperText={problem && !untilProblem ? problem : undefined}
          />
          <MuiTextField
            name="until"
            type="date"
            label={translate("payroll.invoices_more.hold_until")}
            value={until}
            onChange={(event) => setUntil(event.target.value)}
            fullWidth
            margin="dense"
            InputLabelProps={{ shrink: true }}
            error={Boolean(untilProblem)}
            helperText={untilProblem ?? translate("payroll.invoices_more.hold_until_help")}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{translate("ra.action.cancel")}</Button>
          <Button type="submit" variant="contained" disabled={busy || !reason.trim()}>
            {translate("payroll.invoices_more.hold")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
