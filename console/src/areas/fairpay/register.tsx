/**
 * The pay register (HR, payroll, pay auditors, admins): for a period, the average and median pay by sex for each
 * job category and pay concept, downloadable as CSV or JSON, and filed as a PDF in docs (payroll emits the event,
 * docs files the document a moment later: the screen waits for it and then shows it).
 */
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
  Typography,
} from "@mui/material";
import DownloadIcon from "@mui/icons-material/Download";
import PictureAsPdfIcon from "@mui/icons-material/PictureAsPdf";
import { Title, useDataProvider, useNotify, useTranslate } from "react-admin";
import { useQuery } from "@tanstack/react-query";
import { call, queryString } from "../../api/http";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Failed, Loading } from "../../components/States";
import { saveResponse } from "../payroll/common";
import { PdfDocument } from "../self/common";
import { PeriodPicker, Suppressed, problemText, useFigures, usePeriod, type Period } from "./common";
import {
  FAIRPAY_ACTIONS,
  type DocumentRead,
  type Page,
  type PayRegister,
  type RegisterCell,
  type RegisterFiled,
  type RegisterRow,
} from "./resources";

const SEXES = ["female", "male", "another", "not_declared"] as const;

export function RegisterPage() {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [period, setPeriod] = usePeriod();
  const register = useQuery({
    queryKey: ["fairpay", "register", period.from, period.to],
    queryFn: () => dataProvider.get<PayRegister>(FAIRPAY_ACTIONS.register, { from: period.from, to: period.to }),
  });
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={translate("fairpay.register.title")} />
      <Card>
        <CardContent>
          <Typography component="h2" variant="h5" gutterBottom>
            {translate("fairpay.register.title")}
          </Typography>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate("fairpay.register.intro")}
          </Typography>
          <PeriodPicker period={period} onChange={setPeriod} />
          <Actions period={period} />
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          {register.isPending ? (
            <Loading />
          ) : register.isError ? (
            <Failed error={register.error} retry={() => void register.refetch()} />
          ) : (
            <RegisterTable register={register.data} />
          )}
        </CardContent>
      </Card>
    </Stack>
  );
}

function Actions({ period }: { period: Period }) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [filing, setFiling] = useState(false);
  const [filed, setFiled] = useState<RegisterFiled | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function download(format: "csv" | "json") {
    try {
      const response = await call(FAIRPAY_ACTIONS.register + queryString({ from: period.from, to: period.to, format }));
      await saveResponse(response, `pay-register-${period.from}-${period.to}.${format}`);
    } catch (error) {
      notify(problemText(error), { type: "error" });
    }
  }

  async function file() {
    setFiling(true);
    setProblem(null);
    try {
      setFiled(await dataProvider.post<RegisterFiled>(FAIRPAY_ACTIONS.fileRegister, { from: period.from, to: period.to }));
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setFiling(false);
    }
  }

  return (
    <Stack spacing={2}>
      <Stack direction={{ xs: "column", sm: "row" }} spacing={1}>
        <Button variant="outlined" startIcon={<DownloadIcon />} onClick={() => void download("csv")}>
          {translate("fairpay.register.csv")}
        </Button>
        <Button variant="outlined" startIcon={<DownloadIcon />} onClick={() => void download("json")}>
          {translate("fairpay.register.json")}
        </Button>
        <Button variant="contained" startIcon={<PictureAsPdfIcon />} onClick={() => void file()} disabled={filing}>
          {translate("fairpay.register.file")}
        </Button>
      </Stack>
      {problem && (
        <Alert severity="error" role="alert">
          {problem}
        </Alert>
      )}
      {filed && <FiledPdf filed={filed} />}
    </Stack>
  );
}

/** The PDF docs files for a register: asked for every two seconds until it is there. */
function FiledPdf({ filed }: { filed: RegisterFiled }) {
  const translate = useTranslate();
  const f = useFigures();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const found = useQuery({
    queryKey: ["fairpay", "register-pdf", filed.register_id],
    queryFn: () =>
      dataProvider.get<Page<DocumentRead>>(FAIRPAY_ACTIONS.documents, {
        type: "pay_register",
        tag: `register:${filed.register_id}`,
        limit: 1,
      }),
    refetchInterval: (query) => (query.state.data?.items.length ? false : 2000),
  });
  const document = found.data?.items[0];
  const period = translate("fairpay.common.period_text", { from: f.day(filed.period_start), to: f.day(filed.period_end) });
  return (
    <Box>
      {found.isError ? (
        <Failed error={found.error} retry={() => void found.refetch()} />
      ) : !document ? (
        <Alert severity="info">{translate("fairpay.register.filing", { period })}</Alert>
      ) : (
        <Stack spacing={1}>
          <Alert severity="success">{translate("fairpay.register.filed", { title: document.title })}</Alert>
          <PdfDocument documentId={document.id} title={document.title} filename={document.version.filename} />
        </Stack>
      )}
    </Box>
  );
}

function Figures({ cell, currency, threshold }: { cell: RegisterCell | undefined; currency: string; threshold: number }) {
  const f = useFigures();
  if (!cell)
    return (
      <>
        <TableCell align="right">—</TableCell>
        <TableCell align="right">—</TableCell>
        <TableCell align="right">—</TableCell>
      </>
    );
  if (cell.suppressed)
    return (
      <TableCell colSpan={3}>
        <Suppressed threshold={threshold} />
      </TableCell>
    );
  return (
    <>
      <TableCell align="right">{f.count(cell.workers)}</TableCell>
      <TableCell align="right">{f.money(cell.average, currency)}</TableCell>
      <TableCell align="right">{f.money(cell.median, currency)}</TableCell>
    </>
  );
}

function RegisterTable({ register }: { register: PayRegister }) {
  const translate = useTranslate();
  const f = useFigures();
  // Women and men always; another sex and "not declared" only when someone of the period is one (the API sends a
  // cell of every sex, of zero workers when nobody is).
  const shown = SEXES.filter(
    (sex) => sex === "female" || sex === "male" || register.rows.some((row) => row.cells.some((c) => c.sex === sex && c.workers > 0)),
  );
  const cellOf = (row: RegisterRow, sex: string) => row.cells.find((c) => c.sex === sex);
  return (
    <>
      <Typography component="h3" variant="h6" gutterBottom>
        {translate("fairpay.register.table", {
          period: translate("fairpay.common.period_text", { from: f.day(register.period_start), to: f.day(register.period_end) }),
        })}
      </Typography>
      <Typography variant="body2" sx={{ mb: 1 }}>
        {translate("fairpay.register.help", { threshold: register.threshold, currency: register.currency })}
      </Typography>
      {register.rows.length === 0 ? (
        <Alert severity="info">{translate("fairpay.register.empty")}</Alert>
      ) : (
        <Box sx={{ overflowX: "auto" }}>
          <Table size="small" aria-label={translate("fairpay.register.title")}>
            <TableHead>
              <TableRow>
                <TableCell component="th" scope="col" rowSpan={2}>
                  {translate("fairpay.register.category")}
                </TableCell>
                <TableCell component="th" scope="col" rowSpan={2}>
                  {translate("fairpay.register.concept")}
                </TableCell>
                {shown.map((sex) => (
                  <TableCell key={sex} component="th" scope="colgroup" colSpan={3} align="center">
                    {translate(`fairpay.common.sex.${sex}`)}
                  </TableCell>
                ))}
              </TableRow>
              <TableRow>
                {shown.flatMap((sex) =>
                  ["workers", "average", "median"].map((key) => (
                    <TableCell key={`${sex}-${key}`} component="th" scope="col" align="right">
                      {translate(`fairpay.register.${key}`)}
                    </TableCell>
                  )),
                )}
              </TableRow>
            </TableHead>
            <TableBody>
              {register.rows.map((row) => (
                <TableRow key={`${row.category_id ?? "none"}-${row.concept}`}>
                  <TableCell>{row.category_id ? row.category_name : translate("fairpay.register.no_category")}</TableCell>
                  <TableCell component="th" scope="row">
                    {row.component === "total" ? <strong>{row.description}</strong> : row.description}{" "}
                    <Typography component="span" variant="caption">
                      ({translate(`fairpay.common.component.${row.component}`)})
                    </Typography>
                  </TableCell>
                  {shown.map((sex) => (
                    <Figures key={sex} cell={cellOf(row, sex)} currency={register.currency} threshold={register.threshold} />
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </>
  );
}
