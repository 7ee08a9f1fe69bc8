/**
 * Hiring a person in one form, then the activation link to hand over. The gateway makes the new person's login
 * from the hire event a moment after the hire, so the screen waits for it (saying so), then asks the API for a
 * fresh activation token and shows `<origin>/activate?token=…`.
 */
import { useCallback, useEffect, useState } from "react";
import { Link as RouterLink } from "react-router-dom";
import { Alert, Box, Button, Card, CardContent, CircularProgress, Stack, TextField, Typography } from "@mui/material";
import ContentCopyIcon from "@mui/icons-material/ContentCopy";
import {
  AutocompleteInput,
  CheckboxGroupInput,
  Create,
  DateInput,
  email,
  ReferenceInput,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
  Title,
  useLocaleState,
  usePermissions,
  useTranslate,
} from "react-admin";
import { fillPath } from "../../api/resources";
import type { components } from "../../api/schema";
import { formatDateTime } from "../../format";
import { HR_ACTIONS } from "./resources";
import { PayHoursInputs } from "./payhours";
import { DepartmentInput, EMPLOYMENT_TYPES, FREQUENCIES, fullName, grantableRoles, today, useDataApi } from "./shared";

type Employee = components["schemas"]["hr_EmployeeRead"];
type UserPage = components["schemas"]["UserPage"];
type ActivationToken = components["schemas"]["ActivationToken"];

const WAIT_MS = 30_000;

function Heading({ children }: { children: string }) {
  return (
    <Typography component="h2" variant="h6" sx={{ mt: 2 }}>
      {children}
    </Typography>
  );
}

/** Text inputs take what the API's schema takes; empty optional fields are sent as nothing. */
function hireBody(values: Record<string, unknown>) {
  const pay = (values.pay_terms ?? {}) as Record<string, unknown>;
  const body: Record<string, unknown> = { ...values, pay_terms: { ...pay, pay_type: values.employment_type } };
  for (const key of ["phone", "department_id", "position", "manager_id"]) {
    if (body[key] === "" || body[key] === null) delete body[key];
  }
  return body;
}

export function HireCreate() {
  const translate = useTranslate();
  const { permissions } = usePermissions<string[]>();
  const [hired, setHired] = useState<Employee | null>(null);
  if (hired) return <Hired employee={hired} again={() => setHired(null)} />;
  const roles = grantableRoles(permissions).map((id) => ({ id, name: `app.roles.${id}` }));
  return (
    <Create
      title={translate("hr.hire.title")}
      resource="employees"
      redirect={false}
      transform={hireBody}
      mutationOptions={{ onSuccess: (data: Employee) => setHired(data) }}
    >
      <SimpleForm
        defaultValues={{
          employment_type: "salaried",
          start_date: today(),
          pay_terms: { currency: "EUR", frequency: "monthly" },
          roles: ["employee"],
        }}
      >
        <Heading>{translate("hr.hire.person")}</Heading>
        <TextInput source="given_name" validate={required()} />
        <TextInput source="family_name" validate={required()} />
        <TextInput source="email" type="email" validate={[required(), email()]} helperText={translate("hr.hire.email_help")} />
        <TextInput source="phone" />
        <Heading>{translate("hr.hire.job")}</Heading>
        <DepartmentInput />
        <TextInput source="position" />
        <ReferenceInput source="manager_id" reference="employees" filter={{ status: "active" }}>
          <AutocompleteInput
            optionText={(record: Employee) => `${fullName(record)} (${record.email})`}
            filterToQuery={(q: string) => ({ q })}
            sx={{ minWidth: 360 }}
          />
        </ReferenceInput>
        <SelectInput source="employment_type" choices={EMPLOYMENT_TYPES} validate={required()} />
        <DateInput source="start_date" validate={required()} />
        <Heading>{translate("hr.hire.pay")}</Heading>
        <TextInput
          source="pay_terms.rate"
          label="hr.pay_terms.rate"
          helperText={translate("hr.hire.rate_help")}
          validate={required()}
        />
        <TextInput source="pay_terms.currency" label="hr.pay_terms.currency" validate={required()} />
        <SelectInput
          source="pay_terms.frequency"
          label="hr.pay_terms.frequency"
          choices={FREQUENCIES}
          validate={required()}
        />
        <PayHoursInputs prefix="pay_terms." />
        <Heading>{translate("hr.hire.login")}</Heading>
        <CheckboxGroupInput
          source="roles"
          choices={roles}
          helperText={translate("hr.hire.roles_help")}
          validate={required()}
        />
      </SimpleForm>
    </Create>
  );
}

type Waiting = { state: "waiting" } | { state: "ready"; link: string; expires: string } | { state: "failed"; error: string };

/** After the hire: wait for the login the gateway provisions, then show its activation link. */
function Hired({ employee, again }: { employee: Employee; again: () => void }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const data = useDataApi();
  const [status, setStatus] = useState<Waiting>({ state: "waiting" });
  const [copied, setCopied] = useState(false);
  const name = fullName(employee);

  const fetchLink = useCallback(
    async (cancelled: () => boolean) => {
      setStatus({ state: "waiting" });
      const deadline = Date.now() + WAIT_MS;
      try {
        while (!cancelled()) {
          const page = await data.get<UserPage>("/auth/users", { q: employee.email, limit: 20 });
          const login = page.items.find((user) => user.employee_id === employee.id);
          if (login) {
            const token = await data.post<ActivationToken>(fillPath(HR_ACTIONS.activationToken, login.id), undefined, {
              idempotent: false,
            });
            const link = `${window.location.origin}/activate?token=${encodeURIComponent(token.token)}`;
            if (!cancelled()) setStatus({ state: "ready", link, expires: token.expires_at });
            return;
          }
          if (Date.now() > deadline) {
            setStatus({ state: "failed", error: translate("hr.hire.no_login") });
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      } catch (error) {
        if (!cancelled()) setStatus({ state: "failed", error: error instanceof Error ? error.message : String(error) });
      }
    },
    [data, employee, translate],
  );

  useEffect(() => {
    let stop = false;
    void fetchLink(() => stop);
    return () => {
      stop = true;
    };
  }, [fetchLink]);

  async function copy(link: string) {
    await navigator.clipboard?.writeText(link);
    setCopied(true);
  }

  return (
    <Box sx={{ mt: 2 }}>
      <Title title={translate("hr.hire.title")} />
      <Card>
        <CardContent>
          <Stack spacing={2} sx={{ maxWidth: 760 }}>
            <Typography component="h2" variant="h5">
              {translate("hr.hire.done", { name })}
            </Typography>
            {status.state === "waiting" && (
              <Box role="status" sx={{ display: "flex", gap: 2, alignItems: "center" }}>
                <CircularProgress size={20} aria-hidden />
                <Typography>{translate("hr.hire.waiting")}</Typography>
              </Box>
            )}
            {status.state === "failed" && (
              <Alert
                severity="error"
                action={
                  <Button color="inherit" size="small" onClick={() => void fetchLink(() => false)}>
                    {translate("app.actions.retry")}
                  </Button>
                }
              >
                {status.error}
              </Alert>
            )}
            {status.state === "ready" && (
              <>
                <Typography>{translate("hr.hire.link_help", { name })}</Typography>
                <TextField
                  label={translate("hr.hire.link")}
                  value={status.link}
                  slotProps={{ input: { readOnly: true } }}
                  helperText={translate("hr.hire.expires", { date: formatDateTime(status.expires, locale) })}
                  fullWidth
                  onFocus={(event) => event.target.select()}
                />
                <Box>
                  <Button variant="contained" startIcon={<ContentCopyIcon />} onClick={() => void copy(status.link)}>
                    {translate(copied ? "hr.hire.copied" : "hr.hire.copy")}
                  </Button>
                </Box>
              </>
            )}
            <Box sx={{ display: "flex", gap: 2 }}>
              <Button component={RouterLink} to={`/employees/${encodeURIComponent(employee.id)}/show`}>
                {translate("hr.hire.open", { name })}
              </Button>
              <Button onClick={again}>{translate("hr.hire.another")}</Button>
            </Box>
          </Stack>
        </CardContent>
      </Card>
    </Box>
  );
}
