import { Box, CircularProgress } from "@mui/material";
import { useLocale } from "./locale";

/** Shown while the console itself loads after sign-in. */
export function Starting() {
  const { t } = useLocale();
  return (
    <Box role="status" sx={{ minHeight: "100vh", display: "grid", placeItems: "center" }}>
      <CircularProgress aria-label={t("app.states.loading")} />
    </Box>
  );
}
