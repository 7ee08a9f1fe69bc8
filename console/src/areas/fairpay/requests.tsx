/**
 * Right to information: every employee's requests for the average pay of women and men in their job category,
 * with the answer each was given (HR, pay auditors and admins; payroll sees none, the API says so).
 */
import { useState } from "react";
import { Alert, Card, CardContent, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { Title, useDataProvider, useGetIdentity, useTranslate } from "react-admin";
import { useQuery } from "@tanstack/react-query";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { PAGE, Pager, Suppressed, useFigures } from "./common";
import { FAIRPAY_ACTIONS, type InformationRequest, type Page, type SexFigures } from "./resources";

/** Who sees every employee's requests (the API answers anyone else with their own). */
const SEE_ALL = ["hr", "pay_auditor", "admin"];

/** One sex's answer: the workers and average pay, or that the group is too small to show. */
export function SexAnswer({ figures, currency, threshold }: { figures: SexFigures; currency: string; threshold: number }) {
  const translate = useTranslate();
  const f = useFigures();
  if (figures.suppressed) return <Suppressed threshold={threshold} />;
  return (
    <span>
      {translate("fairpay.requests.figures", {
        workers: f.count(figures.workers),
        hourly: f.money(figures.average_hourly, currency),
        annual: f.money(figures.average_annual, currency),
      })}
    </span>
  );
}

export function RequestList() {
  const translate = useTranslate();
  const f = useFigures();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [offset, setOffset] = useState(0);
  const { identity } = useGetIdentity();
  const seesAll = SEE_ALL.some((role) => ((identity?.roles as string[] | undefined) ?? []).includes(role));
  const list = useQuery({
    queryKey: ["fairpay", "requests", offset],
    queryFn: () => dataProvider.get<Page<InformationRequest>>(FAIRPAY_ACTIONS.requests, { limit: PAGE, offset }),
  });
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate("fairpay.requests.title")} />
      <CardContent>
        <Typography component="h2" variant="h5" gutterBottom>
          {translate("fairpay.requests.title")}
        </Typography>
        <Typography variant="body2" sx={{ mb: 2 }}>
          {translate("fairpay.requests.intro")}
        </Typography>
        {identity && !seesAll && (
          <Alert severity="info" sx={{ mb: 2 }}>
            {translate("fairpay.requests.own_only")}
          </Alert>
        )}
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <Failed error={list.error} retry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <Empty message={translate("fairpay.requests.none")} />
        ) : (
          <>
            <Table size="small" aria-label={translate("fairpay.requests.title")}>
              <TableHead>
                <TableRow>
                  {["answered", "employee", "category", "period", "women", "men"].map((key) => (
                    <TableCell key={key} component="th" scope="col">
                      {translate(`fairpay.requests.${key}`)}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {list.data.items.map((r) => (
                  <TableRow key={r.id}>
                    <TableCell>{f.moment(r.answered_at)}</TableCell>
                    <TableCell>{r.employee_id}</TableCell>
                    <TableCell>{r.answer.category_name}</TableCell>
                    <TableCell>
                      {translate("fairpay.common.period_text", {
                        from: f.day(r.answer.period_start),
                        to: f.day(r.answer.period_end),
                      })}
                    </TableCell>
                    <TableCell>
                      <SexAnswer figures={r.answer.women} currency={r.answer.currency} threshold={r.answer.threshold} />
                    </TableCell>
                    <TableCell>
                      <SexAnswer figures={r.answer.men} currency={r.answer.currency} threshold={r.answer.threshold} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Pager offset={offset} total={list.data.total} onChange={setOffset} />
          </>
        )}
      </CardContent>
    </Card>
  );
}
