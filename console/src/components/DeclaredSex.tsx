/**
 * An employee's self-declared sex, read from and saved to its own endpoint (never part of the employee record):
 * shown on HR's employee page (HR and admins) and in "My profile" for the employee themself. Its words are the
 * fair-pay area's (`fairpay.sex.…`).
 */
import { useEffect, useState } from "react";
import { Box, Button, MenuItem, Paper, TextField, Typography } from "@mui/material";
import { useNotify, useTranslate } from "react-admin";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ProblemError } from "../api/http";
import { fillPath, type ApiPath } from "../api/resources";
import { Failed, Loading } from "./States";

const SEX_PATH = "/api/hr/employees/{employee_id}/sex" satisfies ApiPath;

export const DECLARED_SEXES = ["female", "male", "another", "not_declared"] as const;

interface Declaration {
  employee_id: string;
  sex: (typeof DECLARED_SEXES)[number] | null;
  self_declared?: boolean | null;
  declared_at?: string | null;
}

export function DeclaredSex({ employeeId, self = false }: { employeeId: string; self?: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const url = fillPath(SEX_PATH, employeeId);
  const current = useQuery({ queryKey: ["declared-sex", employeeId], queryFn: () => api<Declaration>(url) });
  const [value, setValue] = useState<string>("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => setValue(current.data?.sex ?? ""), [current.data?.sex]);

  async function save(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!value) {
      setError(translate("fairpay.sex.choose"));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api(url, { method: "PUT", body: { sex: value } });
      notify("fairpay.sex.saved", { type: "success" });
      await queryClient.invalidateQueries({ queryKey: ["declared-sex", employeeId] });
    } catch (caught) {
      if (caught instanceof ProblemError) setError(String(caught.body.errors.sex ?? caught.message));
      notify(caught instanceof Error ? caught.message : String(caught), { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  const title = translate("fairpay.sex.title");
  return (
    <Paper component="section" aria-label={title} sx={{ p: 2 }}>
      <Typography component="h2" variant="h6">
        {title}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {translate(self ? "fairpay.sex.why_self" : "fairpay.sex.why_hr")}
      </Typography>
      {current.isPending ? (
        <Loading />
      ) : current.error ? (
        <Failed error={current.error} retry={() => current.refetch()} />
      ) : (
        <Box component="form" onSubmit={save} noValidate sx={{ display: "flex", gap: 2, flexWrap: "wrap", alignItems: "flex-start" }}>
          <TextField
            select
            name="sex"
            label={title}
            value={value}
            onChange={(event) => setValue(event.target.value)}
            error={Boolean(error)}
            helperText={
              error ??
              (current.data.sex === null
                ? translate("fairpay.sex.none")
                : translate(current.data.self_declared ? "fairpay.sex.by_self" : "fairpay.sex.by_hr"))
            }
            sx={{ minWidth: 260 }}
          >
            {DECLARED_SEXES.map((sex) => (
              <MenuItem key={sex} value={sex}>
                {translate(`fairpay.sex.values.${sex}`)}
              </MenuItem>
            ))}
          </TextField>
          <Button type="submit" variant="contained" disabled={busy || value === (current.data.sex ?? "")} sx={{ mt: 1 }}>
            {translate("fairpay.sex.save")}
          </Button>
        </Box>
      )}
    </Paper>
  );
}
