/**
 * The health of the suite (admins): the gateway's own database and NATS, and each service's readiness (its
 * database and NATS), asked again every few seconds while the screen is open. The gateway answers 503 with the
 * same body when something is down, so the screen shows what is down rather than an error.
 */
import { Box, Card, CardContent, Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from "@mui/material";
import { Title, useLocaleState, useTranslate } from "react-admin";
import { useQuery } from "@tanstack/react-query";
import type { components } from "../../api/schema";
import { Failed, Loading } from "../../components/States";
import { liveQueryOptions } from "../../components/live";
import { formatDateTime, formatNumber } from "../../format";
import { ADMIN_ACTIONS } from "./resources";

type SuiteHealth = components["schemas"]["SuiteHealth"];

async function suiteHealth(): Promise<SuiteHealth> {
  // Anonymous, and a 503 still carries the whole answer (what is down): read it as it comes.
  const response = await fetch(ADMIN_ACTIONS.health, { headers: { Accept: "application/json" } });
  if (response.status !== 200 && response.status !== 503) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as SuiteHealth;
}

function State({ ok, label }: { ok: boolean; label: string }) {
  return <Chip size="small" color={ok ? "success" : "error"} variant={ok ? "outlined" : "filled"} label={label} />;
}

export function HealthPage() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const health = useQuery({ queryKey: ["admin", "health"], queryFn: suiteHealth, ...liveQueryOptions() });
  const word = (value: string) => translate(`admin.health.state.${value.split(":")[0]}`, { _: value });
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={translate("admin.health.title")} />
      <Card>
        <CardContent>
          <Typography component="h2" variant="h5" gutterBottom>
            {translate("admin.health.title")}
          </Typography>
          {health.isPending ? (
            <Loading />
          ) : health.isError ? (
            <Failed error={health.error} retry={() => void health.refetch()} />
          ) : (
            <>
              <Typography role="status" sx={{ mb: 2 }}>
                {translate(health.data.status === "ok" ? "admin.health.all_ok" : "admin.health.degraded")}{" "}
                {translate("admin.health.checked", { date: formatDateTime(health.data.checked_at, locale) })}
              </Typography>
              <Table size="small" aria-label={translate("admin.health.title")}>
                <TableHead>
                  <TableRow>
                    <TableCell>{translate("admin.health.part")}</TableCell>
                    <TableCell>{translate("admin.health.status")}</TableCell>
                    <TableCell>{translate("admin.health.database")}</TableCell>
                    <TableCell>{translate("admin.health.nats")}</TableCell>
                    <TableCell>{translate("admin.health.latency")}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  <TableRow>
                    <TableCell component="th" scope="row">
                      {translate("admin.deadletters.part.gateway")}
                    </TableCell>
                    <TableCell>
                      <State
                        ok={Object.values(health.data.gateway).every((v) => v === "ok")}
                        label={word(Object.values(health.data.gateway).every((v) => v === "ok") ? "ok" : "unavailable")}
                      />
                    </TableCell>
                    <TableCell>
                      <State ok={health.data.gateway.database === "ok"} label={word(health.data.gateway.database ?? "")} />
                    </TableCell>
                    <TableCell>
                      <State ok={health.data.gateway.nats === "ok"} label={word(health.data.gateway.nats ?? "")} />
                    </TableCell>
                    <TableCell>—</TableCell>
                  </TableRow>
                  {Object.entries(health.data.services).map(([name, service]) => (
                    <TableRow key={name}>
                      <TableCell component="th" scope="row">
                        {translate(`admin.deadletters.part.${name}`, { _: name })}
                      </TableCell>
                      <TableCell>
                        <State ok={service.status === "ok"} label={word(service.status)} />
                        {service.error && <Typography variant="body2">{service.error}</Typography>}
                      </TableCell>
                      <TableCell>
                        {service.checks?.database ? (
                          <State ok={service.checks.database === "ok"} label={word(service.checks.database)} />
                        ) : (
                          "—"
                        )}
                      </TableCell>
                      <TableCell>
                        {service.checks?.nats ? (
                          <State ok={service.checks.nats === "ok"} label={word(service.checks.nats)} />
                        ) : (
                          "—"
                        )}
                      </TableCell>
                      <TableCell>
                        {service.latency_ms == null
                          ? "—"
                          : translate("admin.health.ms", { ms: formatNumber(service.latency_ms, locale) })}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </>
          )}
        </CardContent>
      </Card>
    </Box>
  );
}
