import { useState } from "react";
import { Box, Button, Link, Stack, TextField, Typography } from "@mui/material";
import { Link as RouterLink, useLocation, useNavigate } from "react-router-dom";
import { SessionError, signIn } from "../api/session";
import { useLocale } from "./locale";
import { PublicFrame } from "./PublicFrame";

/** The console behind sign-in, fetched while the person types, so it is ready when they press Enter. */
let prefetched = false;
function prefetchConsole(): void {
  if (prefetched) return;
  prefetched = true;
  void import("../App");
}

/** Sign-in: login and password; links to set a first password (activation) or a new one (reset). */
export function LoginPage() {
  const { t } = useLocale();
  const navigate = useNavigate();
  const location = useLocation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get("login") ?? ""), String(form.get("password") ?? ""));
      const from = (location.state as { nextPathname?: string } | null)?.nextPathname;
      navigate(from && from !== "/login" ? from : "/", { replace: true });
    } catch (caught) {
      setError(
        caught instanceof SessionError ? caught.message : "The gateway cannot be reached: check the network and try again.",
      );
      setBusy(false);
    }
  }

  return (
    <PublicFrame title={t("app.login.title")}>
      <Box
        component="form"
        onSubmit={submit}
        onInput={prefetchConsole}
        sx={{ mt: 2 }}
        noValidate
        aria-label={t("app.login.title")}
      >
        <Stack spacing={2}>
          <TextField name="login" label={t("app.login.login")} autoComplete="username" required autoFocus />
          <TextField
            name="password"
            type="password"
            label={t("app.login.password")}
            autoComplete="current-password"
            required
          />
          {error && (
            <Typography role="alert" color="error">
              {t("app.login.failed")}: {error}
            </Typography>
          )}
          <Button type="submit" variant="contained" disabled={busy}>
            {t("app.login.submit")}
          </Button>
          <Link component={RouterLink} to="/activate">
            {t("app.login.activate")}
          </Link>
          <Link component={RouterLink} to="/reset-password">
            {t("app.login.reset")}
          </Link>
        </Stack>
      </Box>
    </PublicFrame>
  );
}
