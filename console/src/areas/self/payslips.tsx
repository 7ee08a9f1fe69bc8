import { useParams } from "react-router-dom";
import {
  Box,
  Card,
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
  Datagrid,
  List,
  ShowBase,
  Title,
  useDataProvider,
  useRecordContext,
  useShowContext,
  useTranslate,
} from "react-admin";
import { useQuery } from "@tanstack/react-query";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { ChoiceField, DayField, ForMe, LinkField, MoneyField, PdfDocument, useFormat } from "./common";
import { SELF_API, type DocumentRead, type Page, type Payslip, type PayslipLine } from "./resources";

function Period(_: { source: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext<Payslip>();
  const translate = useTranslate();
  const { day } = useFormat();
  if (!record) return null;
  return (
    <LinkField source="period_start" to={(id) => `/me/payslips/${id}`}>
      {translate("self.payslips.period", { from: day(record.period_start), to: day(record.period_end) })}
    </LinkField>
  );
}

/** My payslips: the period, pay date, gross and net in the payslip's currency. */
export function PayslipList() {
  const translate = useTranslate();
  return (
    <ForMe>
      {(employeeId) => (
        <List
          resource="my_payslips"
          title={translate("self.menu.payslips")}
          filter={{ employee_id: employeeId }}
          sort={{ field: "", order: "ASC" }}
          perPage={25}
          actions={false}
          disableSyncWithLocation
          empty={<Empty message={translate("self.payslips.none")} />}
        >
          <Datagrid rowClick={(id) => `/me/payslips/${id}`} bulkActionButtons={false}>
            <Period source="period_start" label="resources.my_payslips.fields.period" sortable={false} />
            <DayField source="pay_date" sortable={false} />
            <MoneyField source="gross" sortable={false} />
            <MoneyField source="total_deductions" sortable={false} />
            <MoneyField source="net" sortable={false} />
            <ChoiceField source="run_status" group="run_status" sortable={false} />
          </Datagrid>
        </List>
      )}
    </ForMe>
  );
}

/** One payslip, line by line, and the PDF docs filed for it. */
export function PayslipShow() {
  const { id } = useParams();
  return (
    <ShowBase resource="my_payslips" id={id}>
      <PayslipView />
    </ShowBase>
  );
}

function PayslipView() {
  const translate = useTranslate();
  const format = useFormat();
  const { record, isPending, error, refetch } = useShowContext<Payslip>();
  if (isPending) return <Loading />;
  if (error || !record) return <Failed error={error} retry={() => refetch()} />;
  const money = (value: string) => format.money(value, record.currency);
  const period = translate("self.payslips.period", {
    from: format.day(record.period_start),
    to: format.day(record.period_end),
  });
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={translate("self.payslips.title", { period })} />
      <Card>
        <CardContent>
          <Typography component="h2" variant="h5">
            {translate("self.payslips.title", { period })}
          </Typography>
          <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: 1, mt: 2 }}>
            <dt>{translate("resources.my_payslips.fields.pay_date")}</dt>
            <dd>{format.day(record.pay_date)}</dd>
            <dt>{translate("resources.my_payslips.fields.gross")}</dt>
            <dd>{money(record.gross)}</dd>
            <dt>{translate("resources.my_payslips.fields.total_deductions")}</dt>
            <dd>{money(record.total_deductions)}</dd>
            <dt>{translate("resources.my_payslips.fields.net")}</dt>
            <dd>
              <strong>{money(record.net)}</strong>
            </dd>
            {record.final && (
              <>
                <dt>{translate("self.payslips.final")}</dt>
                <dd>{translate("self.payslips.final_yes")}</dd>
              </>
            )}
          </Box>
          <Lines title={translate("self.payslips.earnings")} lines={record.earnings} money={money} />
          <Lines title={translate("self.payslips.deductions")} lines={record.deductions} money={money} />
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Typography component="h2" variant="h6" sx={{ mb: 1 }}>
            {translate("self.payslips.pdf")}
          </Typography>
          <PayslipPdf payslip={record} period={period} />
        </CardContent>
      </Card>
    </Stack>
  );
}

function Lines({ title, lines, money }: { title: string; lines: PayslipLine[]; money: (value: string) => string }) {
  const translate = useTranslate();
  if (lines.length === 0) return null;
  return (
    <Box sx={{ mt: 2 }}>
      <Typography component="h3" variant="h6">
        {title}
      </Typography>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell component="th" scope="col">
              {translate("self.payslips.line")}
            </TableCell>
            <TableCell component="th" scope="col" align="right">
              {translate("self.payslips.amount")}
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {lines.map((line, index) => (
            <TableRow key={`${line.code}-${index}`}>
              <TableCell>{line.description}</TableCell>
              <TableCell align="right">{money(line.amount)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/** The payslip's PDF: docs files it a moment after the run is approved, tagged with the payslip's id. */
function PayslipPdf({ payslip, period }: { payslip: Payslip; period: string }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const found = useQuery({
    queryKey: ["self", "payslip-pdf", payslip.id],
    queryFn: () =>
      dataProvider.get<Page<DocumentRead>>(SELF_API.documents, {
        type: "payslip",
        tag: `payslip:${payslip.id}`,
        employee_id: payslip.employee_id,
        limit: 1,
      }),
  });
  if (found.isPending) return <Loading />;
  if (found.error) return <Failed error={found.error} retry={() => found.refetch()} />;
  const document = found.data.items[0];
  if (!document) return <Empty message={translate("self.payslips.no_pdf")} />;
  return (
    <PdfDocument
      documentId={document.id}
      title={translate("self.payslips.title", { period })}
      filename={document.version.filename}
    />
  );
}
