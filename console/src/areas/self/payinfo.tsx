/**
 * Right to information, for oneself: "Pay in my category" asks payroll for the average pay of women and men in
 * one's own job category (answered at once, over the last full calendar year), shows the answer (or that a group
 * is too small to show, and why), and lists one's earlier requests.
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
import { Title, useDataProvider, useTranslate } from "react-admin";
import { useQuery } from "@tanstack/react-query";
import type { ApiPath } from "../../api/resources";
import type { components } from "../../api/schema";
import type { ConsoleDataProvider, Page } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { ForMe, useFormat } from "./common";

const PAY_INFORMATION = "/api/payroll/pay-information-requests" satisfies ApiPath;
type InformationRequest = components["schemas"]["payroll_InformationRequestRead"];
type SexFigures = components["schemas"]["payroll_SexFigures"];

function Figures({ figures, currency, threshold }: { figures: SexFigures; currency: string; threshold: number }) {
  const translate = useTranslate();
  const format = useFormat();
  if (figures.suppressed)
    return <span>{translate("self.payinfo.suppressed", { threshold })}</span>;
  return (
    <span>
      {translate("self.payinfo.figures", {
        workers: figures.workers,
        hourly: format.money(figures.average_hourly, currency),
        annual: format.money(figures.average_annual, currency),
      })}
    </span>
  );
}

function Answer({ request }: { request: InformationRequest }) {
  const translate = useTranslate();
  const format = useFormat();
  const a = request.answer;
  const anySuppressed = a.women.suppressed || a.men.suppressed;
  return (
    <Box>
      <Typography component="h3" variant="h6">
        {translate("self.payinfo.answer_title", { category: a.category_name })}
      </Typography>
      <Typography variant="body2" sx={{ mb: 1 }}>
        {translate("self.payinfo.answer_period", {
          from: format.day(a.period_start),
          to: format.day(a.period_end),
          date: format.moment(request.answered_at),
        })}
      </Typography>
      <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: 2, rowGap: 0.5 }}>
        <dt>{translate("self.payinfo.women")}</dt>
        <dd>
          <Figures figures={a.women} currency={a.currency} threshold={a.threshold} />
        </dd>
        <dt>{translate("self.payinfo.men")}</dt>
        <dd>
          <Figures figures={a.men} currency={a.currency} threshold={a.threshold} />
        </dd>
      </Box>
      {anySuppressed && (
        <Alert severity="info" sx={{ mt: 1 }}>
          {translate("self.payinfo.why_suppressed", { threshold: a.threshold })}
        </Alert>
      )}
    </Box>
  );
}

export function PayInformationPage() {
  const translate = useTranslate();
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={translate("self.payinfo.title")} />
      <ForMe>{() => <PayInformation />}</ForMe>
    </Stack>
  );
}

function PayInformation() {
  const translate = useTranslate();
  const format = useFormat();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [asking, setAsking] = useState(false);
  const [latest, setLatest] = useState<InformationRequest | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const earlier = useQuery({
    queryKey: ["self", "pay-information"],
    queryFn: () => dataProvider.get<Page<InformationRequest>>(PAY_INFORMATION, { limit: 50 }),
  });
  async function ask() {
    setAsking(true);
    setProblem(null);
    try {
      setLatest(await dataProvider.post<InformationRequest>(PAY_INFORMATION));
      await earlier.refetch();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setAsking(false);
    }
  }
  return (
    <>
      <Card>
        <CardContent>
          <Typography component="h2" variant="h5" gutterBottom>
            {translate("self.payinfo.title")}
          </Typography>
          <Typography sx={{ mb: 2 }}>{translate("self.payinfo.intro")}</Typography>
          <Button variant="contained" onClick={() => void ask()} disabled={asking}>
            {translate(asking ? "app.states.loading" : "self.payinfo.ask")}
          </Button>
          {problem && (
            <Alert severity="warning" role="alert" sx={{ mt: 2 }}>
              {problem}
            </Alert>
          )}
          {latest && (
            <Box role="status" sx={{ mt: 2 }}>
              <Answer request={latest} />
            </Box>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Typography component="h2" variant="h6" gutterBottom>
            {translate("self.payinfo.earlier")}
          </Typography>
          {earlier.isPending ? (
            <Loading />
          ) : earlier.isError ? (
            <Failed error={earlier.error} retry={() => void earlier.refetch()} />
          ) : earlier.data.items.length === 0 ? (
            <Empty message={translate("self.payinfo.none")} />
          ) : (
            <Table size="small" aria-label={translate("self.payinfo.earlier")}>
              <TableHead>
                <TableRow>
                  {["answered", "category", "women", "men"].map((key) => (
                    <TableCell key={key} component="th" scope="col">
                      {translate(`self.payinfo.${key}`)}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {earlier.data.items.map((r) => (
                  <TableRow key={r.id}>
                    <TableCell>{format.moment(r.answered_at)}</TableCell>
                    <TableCell>{r.answer.category_name}</TableCell>
                    <TableCell>
                      <Figures figures={r.answer.women} currency={r.answer.currency} threshold={r.answer.threshold} />
                    </TableCell>
                    <TableCell>
                      <Figures figures={r.answer.men} currency={r.answer.currency} threshold={r.answer.threshold} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </>
  );
}
