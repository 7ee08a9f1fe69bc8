/**
 * Logins (admins): who may sign in and with which roles. An admin gives or takes roles, disables a login (its
 * sessions end at once) or enables it again, and hands out an activation link to a login never activated. The
 * gateway refuses removing one's own admin role, disabling oneself and leaving the suite without an admin: the
 * refusal is shown beside the field it names.
 */
import { useState } from "react";
import { useParams, Link as RouterLink } from "react-router-dom";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  Chip,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  Link,
  Stack,
  TextField,
  Typography,
} from "@mui/material";
import {
  BooleanField,
  Confirm,
  Datagrid,
  FunctionField,
  List,
  SearchInput,
  SelectInput,
  TextField as RaTextField,
  Title,
  useLocaleState,
  useNotify,
  useTranslate,
} from "react-admin";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ProblemError } from "../../api/http";
import { formFieldErrors } from "../../api/problems";
import { fillPath } from "../../api/resources";
import type { components } from "../../api/schema";
import { Failed, Loading } from "../../components/States";
import { formatDateTime } from "../../format";
import { ADMIN_ACTIONS } from "./resources";

type UserRead = components["schemas"]["UserRead"];
type ActivationToken = components["schemas"]["ActivationToken"];

export const PERSON_ROLES = ["employee", "manager", "hr", "payroll", "it_agent", "office", "pay_auditor", "admin"] as const;

function RoleChips({ roles }: { roles: string[] }) {
  const translate = useTranslate();
  return (
    <Box sx={{ display: "flex", gap: 0.5, flexWrap: "wrap" }}>
      {roles.map((role) => (
        <Chip key={role} size="small" label={translate(`app.roles.${role}`, { _: role })} />
      ))}
    </Box>
  );
}

export function LoginList() {
  const translate = useTranslate();
  const roleChoices = PERSON_ROLES.map((id) => ({ id, name: `app.roles.${id}` }));
  const filters = [
    <SearchInput key="q" source="q" alwaysOn placeholder={translate("admin.logins.search")} />,
    <SelectInput key="role" source="role" label="admin.logins.role" choices={roleChoices} alwaysOn />,
    <SelectInput
      key="active"
      source="active"
      label="admin.logins.state"
      alwaysOn
      choices={[
        { id: "true", name: "admin.logins.enabled" },
        { id: "false", name: "admin.logins.disabled" },
      ]}
    />,
  ];
  return (
    <List resource="admin_logins" title="admin.logins.title" filters={filters} sort={{ field: "login", order: "ASC" }}>
      <Datagrid
        bulkActionButtons={false}
        rowClick={(id) => `/administration/logins/${encodeURIComponent(String(id))}`}
      >
        <FunctionField
          label="admin.logins.login"
          render={(record: UserRead) => (
            <Link
              component={RouterLink}
              to={`/administration/logins/${encodeURIComponent(record.id)}`}
              onClick={(event) => event.stopPropagation()}
            >
              {record.login}
            </Link>
          )}
        />
        <RaTextField source="name" label="admin.logins.name" sortable={false} />
        <RaTextField source="email" label="admin.logins.email" sortable={false} />
        <FunctionField
          label="admin.logins.roles"
          render={(record: UserRead) => <RoleChips roles={record.roles} />}
        />
        <FunctionField
          label="admin.logins.state"
          render={(record: UserRead) =>
            translate(record.active ? "admin.logins.enabled" : "admin.logins.disabled")
          }
        />
        <BooleanField source="activated" label="admin.logins.activated" sortable={false} />
      </Datagrid>
    </List>
  );
}

export function LoginPage() {
  const { id = "" } = useParams();
  const translate = useTranslate();
  const path = fillPath(ADMIN_ACTIONS.login, id);
  const login = useQuery({ queryKey: ["admin", "login", id], queryFn: () => api<UserRead>(path) });
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={translate("admin.logins.title")} />
      <Button component={RouterLink} to="/administration/logins" sx={{ mb: 1 }}>
        {translate("admin.logins.back")}
      </Button>
      {login.isPending ? (
        <Loading />
      ) : login.isError ? (
        <Failed error={login.error} retry={() => void login.refetch()} />
      ) : (
        <LoginCard key={`${login.data.id}-${login.dataUpdatedAt}`} user={login.data} />
      )}
    </Box>
  );
}

function LoginCard({ user }: { user: UserRead }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const queryClient = useQueryClient();
  const [roles, setRoles] = useState<string[]>(user.roles);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [link, setLink] = useState<{ url: string; expires: string } | null>(null);
  const path = fillPath(ADMIN_ACTIONS.login, user.id);
  const changed = [...roles].sort().join(" ") !== [...user.roles].sort().join(" ");

  async function patch(body: { roles?: string[]; active?: boolean }, done: string) {
    setBusy(true);
    setErrors({});
    try {
      const saved = await api<UserRead>(path, { method: "PATCH", body });
      queryClient.setQueryData(["admin", "login", user.id], saved);
      await queryClient.invalidateQueries({ queryKey: ["admin_logins"] });
      notify(done, { type: "success", messageArgs: { login: user.login } });
    } catch (error) {
      if (error instanceof ProblemError) setErrors(formFieldErrors(error.problem));
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  async function activationLink() {
    setBusy(true);
    try {
      const token = await api<ActivationToken>(fillPath(ADMIN_ACTIONS.activationToken, user.id), { method: "POST" });
      setLink({
        url: `${window.location.origin}/activate?token=${encodeURIComponent(token.token)}`,
        expires: token.expires_at,
      });
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card>
      <CardContent>
        <Stack spacing={3} sx={{ maxWidth: 760 }}>
          <Box>
            <Typography component="h2" variant="h5">
              {user.name} ({user.login})
            </Typography>
            <Typography color="text.secondary">{user.email}</Typography>
            <Typography>
              {translate(user.active ? "admin.logins.is_enabled" : "admin.logins.is_disabled", {
                reason: user.disabled_reason ?? "",
              })}
            </Typography>
            <Typography color="text.secondary">
              {translate(user.activated ? "admin.logins.was_activated" : "admin.logins.not_activated")}
              {" · "}
              {translate("admin.logins.created", { date: formatDateTime(user.created_at, locale) })}
            </Typography>
          </Box>

          <FormControl component="fieldset" error={Boolean(errors.roles)}>
            <FormLabel component="legend">{translate("admin.logins.roles")}</FormLabel>
            <FormGroup row>
              {PERSON_ROLES.map((role) => (
                <FormControlLabel
                  key={role}
                  control={
                    <Checkbox
                      checked={roles.includes(role)}
                      onChange={(event) =>
                        setRoles((now) =>
                          event.target.checked ? [...now, role] : now.filter((other) => other !== role),
                        )
                      }
                    />
                  }
                  label={translate(`app.roles.${role}`)}
                />
              ))}
            </FormGroup>
            <FormHelperText>{errors.roles ?? translate("admin.logins.roles_help")}</FormHelperText>
            <Box sx={{ mt: 1 }}>
              <Button
                variant="contained"
                disabled={busy || !changed || roles.length === 0}
                onClick={() => void patch({ roles }, "admin.logins.roles_saved")}
              >
                {translate("admin.logins.save_roles")}
              </Button>
            </Box>
          </FormControl>

          <FormControl component="fieldset" error={Boolean(errors.active)}>
            <FormLabel component="legend">{translate("admin.logins.access")}</FormLabel>
            <Box sx={{ mt: 1 }}>
              {user.active ? (
                <Button color="error" variant="outlined" disabled={busy} onClick={() => setConfirming(true)}>
                  {translate("admin.logins.disable")}
                </Button>
              ) : (
                <Button
                  variant="outlined"
                  disabled={busy}
                  onClick={() => void patch({ active: true }, "admin.logins.enabled_done")}
                >
                  {translate("admin.logins.enable")}
                </Button>
              )}
            </Box>
            {errors.active && <FormHelperText>{errors.active}</FormHelperText>}
          </FormControl>
          <Confirm
            isOpen={confirming}
            loading={busy}
            title={translate("admin.logins.disable_title", { login: user.login })}
            content={translate("admin.logins.disable_explain")}
            confirm="admin.logins.disable"
            onConfirm={() => void patch({ active: false }, "admin.logins.disabled_done")}
            onClose={() => setConfirming(false)}
          />

          {!user.activated && user.active && (
            <Box>
              <Typography component="h3" variant="h6">
                {translate("admin.logins.activation")}
              </Typography>
              <Typography sx={{ mb: 1 }}>{translate("admin.logins.activation_help")}</Typography>
              {link ? (
                <TextField
                  label={translate("admin.logins.link")}
                  value={link.url}
                  slotProps={{ input: { readOnly: true } }}
                  helperText={translate("admin.logins.expires", { date: formatDateTime(link.expires, locale) })}
                  fullWidth
                  onFocus={(event) => event.target.select()}
                />
              ) : (
                <Button variant="outlined" disabled={busy} onClick={() => void activationLink()}>
                  {translate("admin.logins.make_link")}
                </Button>
              )}
            </Box>
          )}
          {user.activated && (
            <Alert severity="info">{translate("admin.logins.activated_help")}</Alert>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
}
