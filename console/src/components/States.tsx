import { Alert, Box, Button, CircularProgress, Typography } from "@mui/material";
import { useTranslate } from "react-admin";

/** Loading, empty and error states, the same on every screen that is not a react-admin list. */
export function Loading() {
  const translate = useTranslate();
  return (
    <Box role="status" sx={{ display: "flex", gap: 2, alignItems: "center", p: 2 }}>
      <CircularProgress size={20} aria-hidden />
      <Typography>{translate("app.states.loading")}</Typography>
    </Box>
  );
}

export function Empty({ message }: { message?: string }) {
  const translate = useTranslate();
  return <Typography sx={{ p: 2 }}>{message ?? translate("app.states.empty")}</Typography>;
}

export function Failed({ error, retry }: { error: unknown; retry?: () => void }) {
  const translate = useTranslate();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert
      severity="error"
      action={
        retry && (
          <Button color="inherit" size="small" onClick={retry}>
            {translate("app.actions.retry")}
          </Button>
        )
      }
    >
      {translate("app.states.error", { message })}
    </Alert>
  );
}
