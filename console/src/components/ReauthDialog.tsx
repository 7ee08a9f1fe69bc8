import { useEffect, useState } from "react";
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField, Typography } from "@mui/material";
import { useGetIdentity, useLogout, useNotify, useTranslate } from "react-admin";
import { onSessionExpired, SessionError, signIn } from "../api/session";

/**
 * When the session ends while the console is open, this dialog asks for the password again over the current
 * screen: what was typed in an open form stays, and the person saves again once signed in.
 */
export function ReauthDialog() {
  const translate = useTranslate();
  const notify = useNotify();
  const logout = useLogout();
  const { identity } = useGetIdentity();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => onSessionExpired(() => setOpen(true)), []);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get("login") ?? ""), String(form.get("password") ?? ""));
      setOpen(false);
      notify("app.reauth.done", { type: "info" });
    } catch (caught) {
      setError(caught instanceof SessionError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} aria-labelledby="reauth-title" disableEscapeKeyDown>
      <form onSubmit={submit} noValidate>
        <DialogTitle id="reauth-title">{translate("app.reauth.title")}</DialogTitle>
        <DialogContent>
          <Typography sx={{ mb: 2 }}>{translate("app.reauth.explain")}</Typography>
          <Stack spacing={2}>
            <TextField
              name="login"
              label={translate("app.login.login")}
              defaultValue={identity?.login ?? ""}
              autoComplete="username"
              required
            />
            <TextField
              name="password"
              type="password"
              label={translate("app.login.password")}
              autoComplete="current-password"
              required
              autoFocus
            />
            {error && (
              <Typography role="alert" color="error">
                {error}
              </Typography>
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => logout()}>{translate("app.reauth.leave")}</Button>
          <Button type="submit" variant="contained" disabled={busy}>
            {translate("app.login.submit")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
