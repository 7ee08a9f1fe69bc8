import { Fragment, useState } from "react";
import {
  Alert,
  Box,
  Button,
  CardContent,
  Chip,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import {
  AutocompleteArrayInput,
  Confirm,
  Create,
  Datagrid,
  DateInput,
  FunctionField,
  List,
  NumberField,
  ReferenceArrayInput,
  SelectInput,
  Show,
  SimpleForm,
  TextInput,
  required,
  useDataProvider,
  useGetIdentity,
  useLocaleState,
  useNotify,
  useRecordContext,
  useShowContext,
  useTranslate,
} from "react-admin";
import { useQuery } from "@tanstack/react-query";
import { Link as RouterLink } from "react-router-dom";
import { call } from "../../api/http";
import { fillPath } from "../../api/resources";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { formatDate, formatDateTime, formatMoney } from "../../format";
import { DayField, MoneyField, saveResponse } from "./common";
import { PAYABLES_ACTIONS } from "./resources";
import { visuallyHidden } from "../../components/a11y";

// Read by screen readers, not shown (the column of the drop buttons has a name).
const RUN_STATUSES = ["proposed", "approved", "executed", "cancelled"];

interface Actor {
  user_id: string;
  name: string | null;
}

interface ProposalLine {
  invoice_id: string;
  supplier_id: string;
  supplier_name: string;
  number: string;
  due_date: string;
  amount: string;
  dropped: boolean;
}

interface Payment {
  id: string;
  supplier_id: string;
  amount: string;
  end_to_end_id: string;
  invoice_ids: string[];
}

interface PaymentRun {
  id: string;
  execution_date: string;
  due_by: string;
  currency: string;
  status: string;
  total: string;
  invoices: number;
  suppliers: number;
  lines: ProposalLine[];
  by_supplier: { supplier_id: string; supplier_name: string; amount: string; invoices: number }[];
  payments: Payment[];
  created_at: string;
  created_by: string | null;
  created_by_actor: Actor | null;
  approved_by_actor: Actor | null;
  executed_at: string | null;
}

function useRunStatuses() {
  const translate = useTranslate();
  return RUN_STATUSES.map((id) => ({ id, name: translate(`payroll.payments.status.${id}`, { _: id }) }));
}

export function PaymentRunList() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const statuses = useRunStatuses();
  return (
    <List
      title={translate("payroll.payments.title")}
      filters={[<SelectInput key="status" source="status" choices={statuses} alwaysOn />]}
      perPage={50}
      sort={{ field: "", order: "ASC" }}
      empty={false}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <FunctionField
          source="created_at"
          sortable={false}
          render={(run: PaymentRun) => formatDateTime(run.created_at, locale)}
        />
        <DayField source="execution_date" />
        <DayField source="due_by" />
        <NumberField source="invoices" sortable={false} />
        <MoneyField source="total" textAlign="right" />
        <FunctionField
          source="status"
          sortable={false}
          render={(run: PaymentRun) => translate(`payroll.payments.status.${run.status}`, { _: run.status })}
        />
        <FunctionField
          source="created_by"
          sortable={false}
          render={(run: PaymentRun) => run.created_by_actor?.name ?? run.created_by ?? ""}
        />
      </Datagrid>
    </List>
  );
}

/** Today in the person's calendar, as the API writes dates. */
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A proposal: the approved invoices due by a day (of some suppliers, in one currency), to be paid on a day. */
export function PaymentRunCreate() {
  const translate = useTranslate();
  return (
    <Create title={translate("payroll.payments.new")} redirect="show">
      <SimpleForm defaultValues={{ execution_date: today(), currency: "EUR" }}>
        <Typography sx={{ mb: 2 }}>{translate("payroll.payments.new_explain")}</Typography>
        <DateInput source="execution_date" validate={required()} helperText="payroll.payments.execution_help" />
        <DateInput source="due_by" helperText="payroll.payments.due_by_help" />
        <TextInput
          source="currency"
          validate={[required(), (v: string) => (/^[A-Za-z]{3}$/.test(v ?? "") ? undefined : "payroll.payments.currency_bad")]}
        />
        <ReferenceArrayInput source="supplier_ids" reference="payroll_suppliers">
          <AutocompleteArrayInput
            optionText="name"
            helperText="payroll.payments.suppliers_help"
            sx={{ minWidth: 360 }}
            label="resources.payroll_payment_runs.fields.supplier_ids"
          />
        </ReferenceArrayInput>
      </SimpleForm>
    </Create>
  );
}

export function PaymentRunShow() {
  const translate = useTranslate();
  return (
    <Show title={translate("resources.payroll_payment_runs.name", { smart_count: 1 })} actions={false}>
      <PaymentRunBody />
    </Show>
  );
}

function PaymentRunBody() {
  const run = useRecordContext<PaymentRun>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!run) return null;
  const money = (amount: string) => formatMoney(amount, run.currency, locale);
  return (
    <CardContent>
      <Typography component="h2" variant="h5">
        {translate("payroll.payments.heading", { date: formatDate(run.execution_date, locale) })}
      </Typography>
      <Typography gutterBottom>
        {translate(`payroll.payments.status.${run.status}`, { _: run.status })} ·{" "}
        {translate("payroll.payments.due_by", { date: formatDate(run.due_by, locale) })} · {run.currency}
      </Typography>
      <Typography gutterBottom>
        {translate("payroll.payments.proposed_by", {
          name: run.created_by_actor?.name ?? run.created_by ?? "",
          when: formatDateTime(run.created_at, locale),
        })}
        {run.approved_by_actor && ` · ${translate("payroll.payments.approved_by", { name: run.approved_by_actor.name ?? "" })}`}
        {run.executed_at && ` · ${translate("payroll.payments.executed_at", { when: formatDateTime(run.executed_at, locale) })}`}
      </Typography>
      <Typography component="p" variant="h6" sx={{ my: 1 }}>
        {translate("payroll.payments.total", {
          total: money(run.total),
          smart_count: run.invoices,
          suppliers: translate("payroll.payments.suppliers_count", { smart_count: run.by_supplier.length }),
        })}
      </Typography>
      <ProposalTable run={run} />
      <RunActions run={run} />
      {run.status === "executed" && <Remittances run={run} />}
    </CardContent>
  );
}

/** The proposal grouped per supplier: each invoice, then the supplier's subtotal (the API's); a line can be left
 * out while the run is a proposal. */
function ProposalTable({ run }: { run: PaymentRun }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { refetch } = useShowContext();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [busy, setBusy] = useState<string | null>(null);
  const money = (amount: string) => formatMoney(amount, run.currency, locale);
  const groups = new Map<string, { name: string; lines: ProposalLine[] }>();
  for (const line of run.lines) {
    const group = groups.get(line.supplier_id) ?? { name: line.supplier_name, lines: [] };
    group.lines.push(line);
    groups.set(line.supplier_id, group);
  }
  const subtotal = new Map(run.by_supplier.map((s) => [s.supplier_id, s]));
  const paid = new Map(run.payments.map((p) => [p.supplier_id, p]));

  async function drop(line: ProposalLine) {
    setBusy(line.invoice_id);
    try {
      await dataProvider.post(fillPath(PAYABLES_ACTIONS.dropLine, run.id, line.invoice_id), undefined, { idempotent: false });
      notify("payroll.payments.dropped_done", { type: "success", messageArgs: { number: line.number } });
      await refetch();
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
    } finally {
      setBusy(null);
    }
  }

  return (
    <Table size="small" aria-label={translate("payroll.payments.lines")} sx={{ my: 2 }}>
      <TableHead>
        <TableRow>
          <TableCell>{translate("resources.payroll_invoices.fields.supplier_name")}</TableCell>
          <TableCell>{translate("resources.payroll_invoices.fields.number")}</TableCell>
          <TableCell>{translate("resources.payroll_invoices.fields.due_date")}</TableCell>
          <TableCell align="right">{translate("payroll.payslips.amount")}</TableCell>
          <TableCell>
            <Box component="span" sx={visuallyHidden}>
              {translate("payroll.payments.line_actions")}
            </Box>
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {[...groups.entries()].map(([supplierId, group]) => (
          <Fragment key={supplierId}>
            {group.lines.map((line, index) => (
              <TableRow key={line.invoice_id} sx={line.dropped ? { "& td": { color: "text.secondary" } } : undefined}>
                <TableCell component={index === 0 ? "th" : "td"} scope={index === 0 ? "row" : undefined}>
                  {index === 0 ? group.name : ""}
                </TableCell>
                <TableCell>
                  <RouterLink to={`/payroll_invoices/${encodeURIComponent(line.invoice_id)}/show`}>{line.number}</RouterLink>
                </TableCell>
                <TableCell>{formatDate(line.due_date, locale)}</TableCell>
                <TableCell align="right" sx={line.dropped ? { textDecoration: "line-through" } : undefined}>
                  {money(line.amount)}
                </TableCell>
                <TableCell>
                  {line.dropped ? (
                    <Chip size="small" label={translate("payroll.payments.dropped")} />
                  ) : (
                    run.status === "proposed" && (
                      <Button
                        size="small"
                        disabled={busy !== null}
                        onClick={() => drop(line)}
                        aria-label={translate("payroll.payments.drop_label", { number: line.number, supplier: group.name })}
                      >
                        {translate("payroll.payments.drop")}
                      </Button>
                    )
                  )}
                </TableCell>
              </TableRow>
            ))}
            {(subtotal.has(supplierId) || paid.has(supplierId)) && (
              <TableRow>
                <TableCell colSpan={3}>
                  <strong>{translate("payroll.payments.subtotal", { supplier: group.name })}</strong>
                </TableCell>
                <TableCell align="right">
                  <strong>{money(paid.get(supplierId)?.amount ?? subtotal.get(supplierId)?.amount ?? "0")}</strong>
                </TableCell>
                <TableCell />
              </TableRow>
            )}
          </Fragment>
        ))}
        <TableRow>
          <TableCell colSpan={3}>
            <strong>{translate("payroll.payslips.total")}</strong>
          </TableCell>
          <TableCell align="right">
            <strong>{money(run.total)}</strong>
          </TableCell>
          <TableCell />
        </TableRow>
      </TableBody>
    </Table>
  );
}

/** Approve (someone other than who proposed it: the button says so), execute, cancel; the bank files once paid. */
function RunActions({ run }: { run: PaymentRun }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const { refetch } = useShowContext();
  const { identity } = useGetIdentity();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [confirming, setConfirming] = useState<"approveRun" | "executeRun" | "cancelRun" | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const roles = (identity as { roles?: string[] } | undefined)?.roles ?? [];
  // An admin may approve their own proposal where the company allows it: the API decides, and says so if not.
  const own = identity?.id !== undefined && run.created_by === identity.id && !roles.includes("admin");

  async function act(action: "approveRun" | "executeRun" | "cancelRun") {
    setBusy(true);
    setProblem(null);
    try {
      await dataProvider.post(fillPath(PAYABLES_ACTIONS[action], run.id), undefined, { idempotent: false });
      notify(`payroll.payments.done.${action}`, { type: "success" });
      setConfirming(null);
      await refetch();
    } catch (error) {
      setConfirming(null);
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  async function download(kind: "pain001" | "transfersCsv") {
    try {
      const response = await call(fillPath(PAYABLES_ACTIONS[kind], run.id));
      await saveResponse(response, kind === "pain001" ? `pain001-${run.id}.xml` : `transfers-${run.id}.csv`);
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
    }
  }

  const explain = {
    approveRun: "payroll.payments.approve_explain",
    executeRun: "payroll.payments.execute_explain",
    cancelRun: "payroll.payments.cancel_explain",
  } as const;
  const figures = {
    total: formatMoney(run.total, run.currency, locale),
    smart_count: run.invoices,
    suppliers: translate("payroll.payments.suppliers_count", { smart_count: run.by_supplier.length }),
    date: formatDate(run.execution_date, locale),
  };
  return (
    <Box sx={{ my: 2 }}>
      {problem && (
        <Alert severity="error" role="alert" sx={{ mb: 2 }}>
          {problem}
        </Alert>
      )}
      <Stack direction="row" spacing={2} useFlexGap flexWrap="wrap" alignItems="center">
        {run.status === "proposed" && (
          <>
            <Button
              variant="contained"
              disabled={busy || own}
              onClick={() => setConfirming("approveRun")}
              aria-describedby={own ? "own-run" : undefined}
            >
              {translate("payroll.payments.approve")}
            </Button>
            {own && (
              <Typography id="own-run" variant="body2">
                {translate("payroll.payments.own_reason")}
              </Typography>
            )}
          </>
        )}
        {run.status === "approved" && (
          <Button variant="contained" disabled={busy} onClick={() => setConfirming("executeRun")}>
            {translate("payroll.payments.execute")}
          </Button>
        )}
        {(run.status === "proposed" || run.status === "approved") && (
          <Button color="error" disabled={busy} onClick={() => setConfirming("cancelRun")}>
            {translate("payroll.payments.cancel")}
          </Button>
        )}
        {run.status === "executed" && (
          <>
            <Button variant="outlined" onClick={() => download("pain001")}>
              {translate("payroll.payments.download_pain")}
            </Button>
            <Button variant="outlined" onClick={() => download("transfersCsv")}>
              {translate("payroll.payments.download_csv")}
            </Button>
          </>
        )}
      </Stack>
      <Confirm
        isOpen={confirming !== null}
        loading={busy}
        title={confirming ? translate(`payroll.payments.${confirming}_title`) : ""}
        content={confirming ? translate(explain[confirming], figures) : ""}
        confirm={
          confirming === "approveRun"
            ? translate("payroll.payments.approve")
            : confirming === "executeRun"
              ? translate("payroll.payments.execute")
              : translate("payroll.payments.cancel")
        }
        confirmColor={confirming === "cancelRun" ? "warning" : "primary"}
        onConfirm={() => confirming && act(confirming)}
        onClose={() => setConfirming(null)}
      />
    </Box>
  );
}

interface DocumentRow {
  id: string;
  title: string;
  created_at: string;
}

interface Delivery {
  id: string;
  channel: string;
  recipient: string;
  status: string;
  last_error: string | null;
  finished_at: string | null;
}

/** The remittance advice of each transfer: docs files it when the payment event arrives, and sends it by e-mail
 * or fax to the supplier's address; shown as docs records it (filed, then each delivery's status). */
function Remittances({ run }: { run: PaymentRun }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const names = new Map(run.lines.map((l) => [l.supplier_id, l.supplier_name]));
  async function download(doc: DocumentRow) {
    try {
      const response = await call(fillPath("/api/docs/documents/{document_id}/content", doc.id));
      await saveResponse(response, `${doc.title}.pdf`);
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
    }
  }
  const advices = useQuery({
    queryKey: ["payroll_remittances", run.id, run.payments.map((p) => p.id)],
    refetchInterval: (query) => {
      const data = query.state.data as Record<string, { doc: DocumentRow | null; deliveries: Delivery[] }> | undefined;
      // soon until docs has filed them all, then now and then while a delivery waits to be sent
      if (!data || !Object.values(data).every((a) => a.doc)) return 3000;
      return Object.values(data).some((a) => a.deliveries.some((d) => d.status === "queued")) ? 15000 : false;
    },
    queryFn: async () => {
      const out: Record<string, { doc: DocumentRow | null; deliveries: Delivery[] }> = {};
      for (const payment of run.payments) {
        const docs = await dataProvider.get<{ items: DocumentRow[] }>("/api/docs/documents", {
          type: "remittance_advice",
          supplier_id: payment.supplier_id,
          limit: 50,
        });
        const doc = docs.items.find((d) => d.title.includes(payment.end_to_end_id)) ?? null;
        const deliveries = doc
          ? (
              await dataProvider.get<{ items: Delivery[] }>(
                fillPath("/api/docs/documents/{document_id}/deliveries", doc.id),
                { limit: 10 },
              )
            ).items
          : [];
        out[payment.id] = { doc, deliveries };
      }
      return out;
    },
  });
  return (
    <Box component="section" aria-labelledby="remittances" sx={{ my: 2 }}>
      <Typography id="remittances" component="h3" variant="h6">
        {translate("payroll.payments.remittances")}
      </Typography>
      <Typography variant="body2" gutterBottom>
        {translate("payroll.payments.remittances_explain")}
      </Typography>
      <Table size="small" aria-labelledby="remittances">
        <TableHead>
          <TableRow>
            <TableCell>{translate("resources.payroll_invoices.fields.supplier_name")}</TableCell>
            <TableCell align="right">{translate("payroll.payslips.amount")}</TableCell>
            <TableCell>{translate("payroll.payments.end_to_end")}</TableCell>
            <TableCell>{translate("payroll.payments.advice")}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {run.payments.map((payment) => {
            const advice = advices.data?.[payment.id];
            return (
              <TableRow key={payment.id}>
                <TableCell>{names.get(payment.supplier_id) ?? payment.supplier_id}</TableCell>
                <TableCell align="right">{formatMoney(payment.amount, run.currency, locale)}</TableCell>
                <TableCell>
                  <code>{payment.end_to_end_id}</code>
                </TableCell>
                <TableCell>
                  {advices.isError
                    ? translate("payroll.payments.advice_unknown")
                    : !advice?.doc
                      ? translate("payroll.payments.advice_pending")
                      : [
                          translate("payroll.payments.advice_filed", { when: formatDateTime(advice.doc.created_at, locale) }),
                          ...(advice.deliveries.length === 0
                            ? [translate("payroll.payments.advice_no_address")]
                            : advice.deliveries.map((d) =>
                                translate("payroll.payments.advice_delivery", {
                                  channel: translate(`payroll.payments.channel.${d.channel}`, { _: d.channel }),
                                  recipient: d.recipient || "—",
                                  status: translate(`payroll.payments.delivery.${d.status}`, { _: d.status }),
                                }) + (d.status === "failed" && d.last_error ? ` (${d.last_error})` : ""),
                              )),
                        ].join(" · ")}
                  {advice?.doc && (
                    <Button size="small" onClick={() => advice.doc && download(advice.doc)} sx={{ ml: 1 }}>
                      {translate("payroll.payments.advice_download", {
                        supplier: names.get(payment.supplier_id) ?? payment.supplier_id,
                      })}
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}
