/** A call's path: from the switchboard to each person it was put through or tried to, in order, each hop's
 * outcome in words (never colour alone). Shown on the switchboard and in the person's own messages. */
import { Box, Typography } from "@mui/material";
import { useLocaleState, useTranslate } from "react-admin";
import type { Call } from "./resources";

export function timeOf(value: string | null | undefined, locale: string): string {
  if (!value) return "";
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" }).format(new Date(value));
}

export function CallPath({ call }: { call: Pick<Call, "path" | "id"> }) {
  const translate = useTranslate();
  const [locale = "en"] = useLocaleState();
  return (
    <Box
      component="ol"
      aria-label={translate("office.switchboard.path")}
      data-call-path={call.id}
      sx={{ display: "flex", flexWrap: "wrap", gap: 0.5, listStyle: "none", p: 0, m: 0, alignItems: "center" }}
    >
      <Typography component="li" variant="body2">
        {translate("office.switchboard.switchboard")}
      </Typography>
      {call.path.map((hop) => (
        <Typography component="li" variant="body2" key={hop.position} data-hop={hop.position}>
          <span aria-hidden="true">→ </span>
          <strong>{hop.to_name}</strong>{" "}
          <Box
            component="span"
            sx={{ color: hop.outcome === "connected" ? "success.dark" : "error.dark", whiteSpace: "nowrap" }}
          >
            ({translate(`office.switchboard.outcome.${hop.outcome}`)}, {timeOf(hop.at, locale)})
          </Box>
        </Typography>
      ))}
    </Box>
  );
}
