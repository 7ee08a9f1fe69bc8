import { useState } from "react";
import { Box, Button, Card, CardContent, Chip, Stack, TextField, Typography } from "@mui/material";
import { Title, useGetIdentity, useLogout, useNotify, useTranslate } from "react-admin";
import { useQuery } from "@tanstack/react-query";
import { api, ProblemError } from "../../api/http";
import { formFieldErrors } from "../../api/problems";
import { whoAmI } from "../../providers/authProvider";
import { Failed, Loading } from "../../components/States";
import { DeclaredSex } from "../../components/DeclaredSex";

/** Who I am (login, e-mail, roles, my employee record) and changing my password. */
export function ProfilePage() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const me = useQuery({ queryKey: ["me", identity?.id], queryFn: whoAmI });
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title={translate("app.profile.title")} />
      <Card>
        <CardContent>
          <Typography component="h2" variant="h6">
            {translate("app.profile.title")}
          </Typography>
          {me.isPending ? (
            <Loading />
          ) : me.error ? (
            <Failed error={me.error} retry={() => me.refetch()} />
          ) : (
            <Box component="dl" sx={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: 1 }}>
              <dt>{translate("app.profile.login")}</dt>
              <dd>{me.data.login}</dd>
              <dt>{translate("app.profile.email")}</dt>
              <dd>{me.data.email}</dd>
              <dt>{translate("app.profile.roles")}</dt>
              <dd>
                {me.data.roles.map((role) => (
                  <Chip key={role} label={translate(`app.roles.${role}`)} size="small" sx={{ mr: 0.5 }} />
                ))}
              </dd>
              <dt>{translate("app.profile.employee")}</dt>
              <dd>{me.data.employee_id ?? translate("app.profile.no_employee")}</dd>
            </Box>
          )}
        </CardContent>
      </Card>
      {me.data?.employee_id && <DeclaredSex employeeId={me.data.employee_id} self />}
      <ChangePassword />
    </Stack>
  );
}

function ChangePassword() {
  const translate = useTranslate();
  const notify = useNotify();
  const logout = useLogout();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = String(form.get("new_password") ?? "");
    if (next !== String(form.get("confirm") ?? "")) {
      setErrors({ confirm: translate("app.activation.mismatch") });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      await api("/auth/password", {
        method: "POST",
        body: { current_password: String(form.get("current_password") ?? ""), new_password: next },
      });
      notify("app.password.done", { type: "success" });
      await logout(); // every session ends with a password change
    } catch (caught) {
      if (caught instanceof ProblemError) setErrors(formFieldErrors(caught.problem));
      notify(caught instanceof Error ? caught.message : String(caught), { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card>
      <CardContent>
        <Typography component="h2" variant="h6">
          {translate("app.password.title")}
        </Typography>
        <Box component="form" onSubmit={submit} noValidate sx={{ mt: 2, maxWidth: 420 }}>
          <Stack spacing={2}>
            {(["current_password", "new_password", "confirm"] as const).map((name) => (
              <TextField
                key={name}
                name={name}
                type="password"
                label={translate(
                  name === "current_password"
                    ? "app.password.current"
                    : name === "new_password"
                      ? "app.password.new"
                      : "app.password.confirm",
                )}
                autoComplete={name === "current_password" ? "current-password" : "new-password"}
                required
                error={Boolean(errors[name])}
                helperText={errors[name]}
              />
            ))}
            <Button type="submit" variant="contained" disabled={busy}>
              {translate("app.password.submit")}
            </Button>
          </Stack>
        </Box>
      </CardContent>
    </Card>
  );
}
