/** The switchboard's report: calls per person, missed calls and messages not yet read, between two days. */
import { useState } from "react";
import {
  Card,
  CardContent,
  Grid,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import { Title, useDataProvider, useLocaleState, useTranslate } from "react-admin";
import { useQuery } from "@tanstack/react-query";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { formatNumber } from "../../format";
import { SWITCHBOARD_API, type SwitchboardReport } from "./resources";

function isoDay(day: Date): string {
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}`;
}

export function SwitchboardReportPage() {
  const translate = useTranslate();
  const [locale = "en"] = useLocaleState();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [today] = useState(() => isoDay(new Date()));
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 6 * 86_400_000)));
  const [to, setTo] = useState(today);
  const report = useQuery({
    queryKey: ["switchboard-report", from, to],
    queryFn: () => dataProvider.get<SwitchboardReport>(SWITCHBOARD_API.report, { date_from: from, date_to: to }),
    enabled: Boolean(from && to),
  });
  const n = (value: number) => formatNumber(value, locale, 0);
  const totals = report.data
    ? ([
        ["calls", report.data.calls],
        ["connected_calls", report.data.connected_calls],
        ["missed_calls", report.data.missed_calls],
        ["messages_taken", report.data.messages_taken],
        ["unread_messages", report.data.unread_messages],
      ] as const)
    : [];
  return (
    <Stack spacing={2} sx={{ mt: 1 }}>
      <Title title={translate("office.switchboard.report.title")} />
      <Stack direction="row" spacing={2}>
        <TextField
          type="date"
          size="small"
          label={translate("office.switchboard.report.from")}
          value={from}
          onChange={(event) => setFrom(event.target.value)}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          type="date"
          size="small"
          label={translate("office.switchboard.report.to")}
          value={to}
          onChange={(event) => setTo(event.target.value)}
          slotProps={{ inputLabel: { shrink: true } }}
        />
      </Stack>
      {report.isPending && <Loading />}
      {report.error && <Failed error={report.error} retry={() => report.refetch()} />}
      {report.data && (
        <>
          <Grid container spacing={2}>
            {totals.map(([key, value]) => (
              <Grid key={key} size={{ xs: 6, md: 2.4 }}>
                <Card variant="outlined">
                  <CardContent>
                    <Typography variant="body2">{translate(`office.switchboard.report.${key}`)}</Typography>
                    <Typography variant="h5" component="p" data-total={key}>
                      {n(value)}
                    </Typography>
                  </CardContent>
                </Card>
              </Grid>
            ))}
          </Grid>
          {report.data.people.length === 0 ? (
            <Empty message={translate("office.switchboard.report.none")} />
          ) : (
            <Table size="small" aria-label={translate("office.switchboard.report.per_person")}>
              <TableHead>
                <TableRow>
                  <TableCell>{translate("office.switchboard.report.person")}</TableCell>
                  <TableCell align="right">{translate("office.switchboard.report.calls")}</TableCell>
                  <TableCell align="right">{translate("office.switchboard.report.connected")}</TableCell>
                  <TableCell align="right">{translate("office.switchboard.report.missed")}</TableCell>
                  <TableCell align="right">{translate("office.switchboard.report.messages")}</TableCell>
                  <TableCell align="right">{translate("office.switchboard.report.unread")}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {report.data.people.map((p) => (
                  <TableRow key={p.employee_id} data-person={p.employee_id}>
                    <TableCell component="th" scope="row">
                      {p.name}
                    </TableCell>
                    <TableCell align="right">{n(p.calls)}</TableCell>
                    <TableCell align="right">{n(p.connected)}</TableCell>
                    <TableCell align="right">{n(p.missed)}</TableCell>
                    <TableCell align="right">{n(p.messages)}</TableCell>
                    <TableCell align="right">{n(p.unread_messages)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </>
      )}
    </Stack>
  );
}
