import { Box } from "@mui/material";
import PauseCircleIcon from "@mui/icons-material/PauseCircleOutline";
import WarningIcon from "@mui/icons-material/WarningAmber";
import { useTranslate } from "react-admin";
import { clockState, formatSpan } from "./sla";
import type { SlaClock, SlaRead } from "./resources";

/** One SLA target as a live countdown: time left, overdue, or stopped (with how long) while the ticket waits. */
export function Countdown({ sla, clock, now }: { sla: SlaRead | null; clock: SlaClock | undefined; now: Date }) {
  const translate = useTranslate();
  const view = clockState(sla, clock, now);
  switch (view.state) {
    case "none":
      return <span>{translate("desk.tickets.clock.none")}</span>;
    case "met":
      return <span>{translate(view.late ? "desk.tickets.clock.met_late" : "desk.tickets.clock.met")}</span>;
    case "running":
      return (
        <Box component="span" data-clock="running" sx={{ fontVariantNumeric: "tabular-nums" }}>
          {translate("desk.tickets.clock.left", { span: formatSpan(view.seconds) })}
        </Box>
      );
    case "overdue":
      return (
        <Box
          component="span"
          data-clock="overdue"
          sx={{ color: "error.dark", fontWeight: 600, fontVariantNumeric: "tabular-nums", display: "inline-flex", gap: 0.5 }}
        >
          <WarningIcon fontSize="small" aria-hidden />
          {translate("desk.tickets.clock.overdue", { span: formatSpan(view.seconds) })}
        </Box>
      );
    case "paused":
      return (
        <Box
          component="span"
          data-clock="paused"
          sx={{ color: "text.secondary", fontVariantNumeric: "tabular-nums", display: "inline-flex", gap: 0.5 }}
        >
          <PauseCircleIcon fontSize="small" aria-hidden />
          {view.seconds === null
            ? translate("desk.tickets.clock.paused", { span: formatSpan(view.pausedSeconds) })
            : translate("desk.tickets.clock.paused_left", {
                span: formatSpan(view.seconds),
                paused: formatSpan(view.pausedSeconds),
              })}
        </Box>
      );
  }
}
