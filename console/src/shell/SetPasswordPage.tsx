import { useState } from "react";
import { Box, Button, Link, Stack, TextField, Typography } from "@mui/material";
import { Link as RouterLink, useSearchParams } from "react-router-dom";
import { formFieldErrors, messageOf, readProblem } from "../api/problems";
import { useLocale } from "./locale";
import { PublicFrame } from "./PublicFrame";

/**
 * A first password from the activation code HR hands out (`/activate?token=…`), or a new one from a reset code
 * (`/reset-password?token=…`). Both are public: the code is the proof.
 */
export function SetPasswordPage({ mode }: { mode: "activate" | "reset" }) {
  const { t: translate } = useLocale();
  const [params] = useSearchParams();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) {
      setFieldError({ confirm: translate("app.activation.mismatch") });
      return;
    }
    setBusy(true);
    setError(null);
    setFieldError({});
    try {
      const response = await fetch(mode === "activate" ? "/auth/activate" : "/auth/password-reset", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ token: String(form.get("token") ?? "").trim(), password }),
      });
      if (!response.ok) {
        const problem = await readProblem(response);
        setFieldError(formFieldErrors(problem));
        setError(messageOf(problem));
        return;
      }
      setDone(true);
    } catch {
      setError("The gateway cannot be reached: check the network and try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <PublicFrame title={translate(mode === "activate" ? "app.activation.title" : "app.activation.reset_title")}>
          {done ? (
            <Stack spacing={2} sx={{ mt: 2 }}>
              <Typography role="status">{translate("app.activation.done")}</Typography>
              <Button component={RouterLink} to="/login" variant="contained">
                {translate("app.activation.back")}
              </Button>
            </Stack>
          ) : (
            <Box component="form" onSubmit={submit} sx={{ mt: 2 }} noValidate>
              <Stack spacing={2}>
                <TextField
                  name="token"
                  label={translate("app.activation.token")}
                  defaultValue={params.get("token") ?? ""}
                  required
                  error={Boolean(fieldError.token)}
                  helperText={fieldError.token}
                />
                <TextField
                  name="password"
                  type="password"
                  label={translate("app.activation.password")}
                  autoComplete="new-password"
                  required
                  error={Boolean(fieldError.password)}
                  helperText={fieldError.password}
                />
                <TextField
                  name="confirm"
                  type="password"
                  label={translate("app.activation.confirm")}
                  autoComplete="new-password"
                  required
                  error={Boolean(fieldError.confirm)}
                  helperText={fieldError.confirm}
                />
                {error && (
                  <Typography role="alert" color="error">
                    {error}
                  </Typography>
                )}
                <Button type="submit" variant="contained" disabled={busy}>
                  {translate("app.activation.submit")}
                </Button>
                <Link component={RouterLink} to="/login">
                  {translate("app.activation.back")}
                </Link>
              </Stack>
            </Box>
          )}
    </PublicFrame>
  );
}
