/**
 * SLA calendars (working days and hours in a time zone, holidays) and policies (targets per priority and
 * category, counted in a calendar's working time). The API checks every calendar and policy; each refusal is shown
 * under the field it names (a calendar with no working time: under "Closes").
 */
import { useState, type ReactNode } from "react";
import {
  Box,
  Button,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import {
  ArrayInput,
  AutocompleteInput,
  CheckboxGroupInput,
  Confirm,
  DateInput,
  Form,
  NumberInput,
  SaveButton,
  SelectInput,
  SimpleFormIterator,
  TextInput,
  Title,
  minValue,
  required,
  useDataProvider,
  useLocaleState,
  useTranslate,
} from "react-admin";
import { Link, useNavigate, useParams } from "react-router-dom";
import { useQuery } from "@tanstack/react-query";
import type { components } from "../../api/schema";
import { fillPath } from "../../api/resources";
import type { ConsoleDataProvider, Page } from "../../providers/dataProvider";
import { Empty, Failed, Loading } from "../../components/States";
import { SLA_PATHS } from "./resources";
import { useDeskAction } from "./deskAction";
import { visuallyHidden } from "../../components/a11y";

type Calendar = components["schemas"]["helpdesk_CalendarRead"];
type Policy = components["schemas"]["helpdesk_PolicyRead"];
type Values = Record<string, unknown>;
const PRIORITIES = ["low", "normal", "high", "urgent"];
const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6];

function useSla<T>(url: string | null) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ["desk", "sla", url],
    queryFn: () => dataProvider.get<T>(url as string, url?.endsWith("s") ? { limit: 500 } : undefined),
    enabled: url !== null,
  });
}

/** The weekday's name in the person's language, 0 = Monday (2024-01-01 was a Monday). */
function weekday(day: number, locale: string, style: "long" | "short" = "long"): string {
  return new Intl.DateTimeFormat(locale, { weekday: style, timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, 1 + day)));
}

/** A time as the API writes it (`09:00:00`, `24:00:00` for midnight at the end of the day) as a time input takes it. */
function inputTime(value: string | undefined): string {
  if (!value) return "";
  return value.startsWith("24:00") ? "00:00" : value.slice(0, 5);
}

function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

function Section({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <Paper component="section" aria-label={title} sx={{ p: 2, mb: 2, minWidth: 0 }}>
      <Box sx={{ display: "flex", alignItems: "center", gap: 2, flexWrap: "wrap", mb: 1 }}>
        <Typography component="h2" variant="h6" sx={{ flexGrow: 1 }}>
          {title}
        </Typography>
        {actions}
      </Box>
      {children}
    </Paper>
  );
}

function CalendarTable({ calendars }: { calendars: Calendar[] }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (calendars.length === 0) return <Empty message={translate("desk.sla.no_calendars")} />;
  return (
    <Box sx={{ overflowX: "auto" }}>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>{translate("desk.sla.fields.name")}</TableCell>
            <TableCell>{translate("desk.sla.fields.timezone")}</TableCell>
            <TableCell>{translate("desk.sla.fields.working_days")}</TableCell>
            <TableCell>{translate("desk.sla.fields.hours")}</TableCell>
            <TableCell>{translate("desk.sla.fields.holidays_count")}</TableCell>
            <TableCell>
              <Box component="span" sx={visuallyHidden}>
                {translate("desk.sla.edit")}
              </Box>
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {calendars.map((calendar) => {
            const count = calendar.holidays?.length ?? 0;
            return (
              <TableRow key={calendar.id}>
                <TableCell>{calendar.name}</TableCell>
                <TableCell>{calendar.timezone}</TableCell>
                <TableCell>{(calendar.working_days ?? []).map((d) => weekday(d, locale, "short")).join(", ")}</TableCell>
                <TableCell>
                  {translate("desk.sla.hours_value", {
                    opens: calendar.opens.slice(0, 5),
                    closes: calendar.closes.slice(0, 5),
                  })}
                </TableCell>
                <TableCell>
                  {calendar.holiday_country
                    ? translate("desk.sla.holidays_country", {
                        smart_count: count,
                        country: [calendar.holiday_country, calendar.holiday_subdivision].filter(Boolean).join("-"),
                      })
                    : translate("desk.sla.holidays_value", { smart_count: count })}
                </TableCell>
                <TableCell>
                  <Button
                    size="small"
                    component={Link}
                    to={`/desk/sla/calendars/${encodeURIComponent(calendar.id)}`}
                    aria-label={translate("desk.sla.edit_named", { name: calendar.name })}
                  >
                    {translate("desk.sla.edit")}
                  </Button>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}

function PolicyTable({ policies, calendars }: { policies: Policy[]; calendars: Calendar[] }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run, busy } = useDeskAction();
  const [removing, setRemoving] = useState<Policy | null>(null);
  const calendarName = (id: string) => calendars.find((c) => c.id === id)?.name ?? id;
  const policyName = (p: Policy) =>
    `${translate(`desk.sla.priority.${p.priority}`)} / ${p.category === "*" ? translate("desk.sla.any_category") : p.category}`;
  if (policies.length === 0) return <Empty message={translate("desk.sla.no_policies")} />;
  // By priority in its own order (low to urgent), then category: the API sorts the words alphabetically.
  const sorted = [...policies].sort(
    (a, b) => PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority) || a.category.localeCompare(b.category),
  );
  return (
    <Box sx={{ overflowX: "auto" }}>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>{translate("desk.sla.fields.priority")}</TableCell>
            <TableCell>{translate("desk.sla.fields.category")}</TableCell>
            <TableCell>{translate("desk.sla.fields.first_response_minutes")}</TableCell>
            <TableCell>{translate("desk.sla.fields.resolution_minutes")}</TableCell>
            <TableCell>{translate("desk.sla.fields.calendar")}</TableCell>
            <TableCell>
              <Box component="span" sx={visuallyHidden}>
                {translate("desk.sla.remove")}
              </Box>
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {sorted.map((policy) => (
            <TableRow key={policy.id}>
              <TableCell>{translate(`desk.sla.priority.${policy.priority}`)}</TableCell>
              <TableCell>{policy.category === "*" ? translate("desk.sla.any_category") : policy.category}</TableCell>
              <TableCell>{translate("desk.sla.minutes", { minutes: policy.first_response_minutes })}</TableCell>
              <TableCell>{translate("desk.sla.minutes", { minutes: policy.resolution_minutes })}</TableCell>
              <TableCell>{calendarName(policy.calendar_id)}</TableCell>
              <TableCell>
                <Button
                  size="small"
                  color="error"
                  disabled={busy}
                  aria-label={translate("desk.sla.remove_named", { name: policyName(policy) })}
                  onClick={() => setRemoving(policy)}
                >
                  {translate("desk.sla.remove")}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Confirm
        isOpen={removing !== null}
        title={translate("desk.sla.remove_title", { name: removing ? policyName(removing) : "" })}
        content={translate("desk.sla.remove_content")}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          const policy = removing;
          setRemoving(null);
          if (policy)
            await run(
              () => dataProvider.delete("desk_sla_policies", { id: policy.id, previousData: policy }),
              translate("desk.sla.done.removed"),
            );
        }}
      />
    </Box>
  );
}

/** Targets for a priority and category: saving again replaces them (for new tickets). */
function PolicyForm({ calendars }: { calendars: Calendar[] }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run } = useDeskAction();
  const [formKey, setFormKey] = useState(0);
  if (calendars.length === 0) return null;
  const submit = (values: Values) =>
    run(
      () =>
        dataProvider.put(SLA_PATHS.policies, {
          priority: values.priority,
          category: values.category || "*",
          first_response_minutes: values.first_response_minutes,
          resolution_minutes: values.resolution_minutes,
          calendar_id: values.calendar_id,
        }),
      translate("desk.sla.done.policy"),
      () => setFormKey((k) => k + 1),
    );
  return (
    <Box component="section" aria-label={translate("desk.sla.set_policy")} sx={{ mt: 2 }}>
      <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600 }}>
        {translate("desk.sla.set_policy")}
      </Typography>
      <Typography variant="body2" sx={{ mb: 1 }}>
        {translate("desk.sla.set_policy_help")}
      </Typography>
      <Form key={formKey} onSubmit={submit} defaultValues={{ priority: "normal", category: "*", calendar_id: calendars[0].id }}>
        <Box sx={{ display: "grid", gridTemplateColumns: { xs: "1fr", md: "repeat(3, minmax(0, 1fr))" }, columnGap: 2 }}>
          <SelectInput
            source="priority"
            label="desk.sla.fields.priority"
            choices={PRIORITIES.map((id) => ({ id, name: `desk.sla.priority.${id}` }))}
            validate={required()}
          />
          <TextInput
            source="category"
            label="desk.sla.fields.category"
            helperText="desk.sla.fields.category_help"
            validate={required()}
          />
          <NumberInput
            source="first_response_minutes"
            label="desk.sla.fields.first_response_minutes"
            min={1}
            step={1}
            validate={[required(), minValue(1)]}
          />
          <NumberInput
            source="resolution_minutes"
            label="desk.sla.fields.resolution_minutes"
            min={1}
            step={1}
            validate={[required(), minValue(1)]}
          />
          <SelectInput
            source="calendar_id"
            label="desk.sla.fields.calendar"
            choices={calendars.map((c) => ({ id: c.id, name: c.name }))}
            translateChoice={false}
            validate={required()}
          />
        </Box>
        <SaveButton label="desk.sla.set_policy" icon={<span />} alwaysEnable />
      </Form>
    </Box>
  );
}

/** `/desk/sla`: the calendars, the policies and a form to set a policy's targets. */
export function SlaPage() {
  const translate = useTranslate();
  const calendars = useSla<Page<Calendar>>(SLA_PATHS.calendars);
  const policies = useSla<Page<Policy>>(SLA_PATHS.policies);
  return (
    <Box sx={{ p: 2 }}>
      <Title title={translate("desk.sla.title")} />
      <Typography component="h1" variant="h5" sx={{ mb: 2 }}>
        {translate("desk.sla.title")}
      </Typography>
      <Section
        title={translate("desk.sla.calendars")}
        actions={
          <Button variant="contained" component={Link} to="/desk/sla/calendars/new">
            {translate("desk.sla.new_calendar")}
          </Button>
        }
      >
        {calendars.isPending ? (
          <Loading />
        ) : calendars.error ? (
          <Failed error={calendars.error} retry={() => calendars.refetch()} />
        ) : (
          <CalendarTable calendars={calendars.data.items} />
        )}
      </Section>
      <Section title={translate("desk.sla.policies")}>
        {policies.isPending || calendars.isPending ? (
          <Loading />
        ) : policies.error ? (
          <Failed error={policies.error} retry={() => policies.refetch()} />
        ) : (
          <>
            <PolicyTable policies={policies.data.items} calendars={calendars.data?.items ?? []} />
            <PolicyForm calendars={calendars.data?.items ?? []} />
          </>
        )}
      </Section>
    </Box>
  );
}

/** `/desk/sla/calendars/new` and `/desk/sla/calendars/:id`: a calendar, created or replaced whole. */
export function CalendarPage() {
  const { id } = useParams();
  const translate = useTranslate();
  const navigate = useNavigate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { run } = useDeskAction();
  const existing = useSla<Calendar>(id ? fillPath(SLA_PATHS.calendar, id) : null);
  if (id && existing.isPending) return <Loading />;
  if (id && existing.error) return <Failed error={existing.error} retry={() => existing.refetch()} />;
  const calendar = id ? existing.data : undefined;
  const defaults = calendar
    ? {
        ...calendar,
        opens: inputTime(calendar.opens),
        closes: inputTime(calendar.closes),
        holidays: (calendar.holidays ?? []).map((date) => ({ date })),
        holiday_country: calendar.holiday_country ?? "",
        holiday_subdivision: calendar.holiday_subdivision ?? "",
      }
    : { timezone: "UTC", working_days: [0, 1, 2, 3, 4], opens: "09:00", closes: "17:00", holidays: [] };
  const submit = (values: Values) => {
    const body = {
      name: values.name,
      timezone: values.timezone,
      working_days: values.working_days,
      opens: values.opens,
      closes: values.closes,
      holidays: ((values.holidays as { date?: string }[] | undefined) ?? []).map((h) => h.date).filter(Boolean),
      holiday_country: values.holiday_country || null,
      holiday_subdivision: values.holiday_subdivision || null,
    };
    return run(
      () =>
        calendar
          ? dataProvider.put(fillPath(SLA_PATHS.calendar, calendar.id), body)
          : dataProvider.post(SLA_PATHS.calendars, body),
      translate(calendar ? "desk.sla.done.saved" : "desk.sla.done.created"),
      () => navigate("/desk/sla"),
    );
  };
  const title = calendar
    ? translate("desk.sla.edit_calendar_title", { name: calendar.name })
    : translate("desk.sla.new_calendar_title");
  return (
    <Box sx={{ p: 2, maxWidth: 760 }}>
      <Title title={title} />
      <Typography component="h1" variant="h5" sx={{ mb: 2 }}>
        {title}
      </Typography>
      <Paper sx={{ p: 2 }}>
        <Form key={calendar?.id ?? "new"} onSubmit={submit} defaultValues={defaults}>
          <TextInput source="name" label="desk.sla.fields.name" validate={required()} fullWidth />
          <AutocompleteInput
            source="timezone"
            label="desk.sla.fields.timezone"
            choices={timeZones().map((zone) => ({ id: zone, name: zone }))}
            translateChoice={false}
            validate={required()}
            fullWidth
          />
          <CheckboxGroupInput
            source="working_days"
            label="desk.sla.fields.working_days"
            choices={WEEKDAYS.map((day) => ({ id: day, name: weekday(day, locale) }))}
            translateChoice={false}
          />
          <Stack direction={{ xs: "column", sm: "row" }} spacing={2}>
            <TextInput source="opens" label="desk.sla.fields.opens" type="time" validate={required()} />
            <TextInput
              source="closes"
              label="desk.sla.fields.closes"
              type="time"
              helperText="desk.sla.fields.closes_help"
              validate={required()}
            />
          </Stack>
          <ArrayInput source="holidays" label="desk.sla.fields.holidays">
            <SimpleFormIterator resource="desk_sla_calendars" inline disableReordering disableClear>
              <DateInput source="date" label="desk.sla.fields.holiday" validate={required()} />
            </SimpleFormIterator>
          </ArrayInput>
          <Stack direction={{ xs: "column", sm: "row" }} spacing={2}>
            <TextInput source="holiday_country" label="desk.sla.fields.holiday_country" />
            <TextInput source="holiday_subdivision" label="desk.sla.fields.holiday_subdivision" />
          </Stack>
          <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
            <SaveButton icon={<span />} alwaysEnable />
            <Button component={Link} to="/desk/sla">
              {translate("desk.sla.back")}
            </Button>
          </Stack>
        </Form>
      </Paper>
    </Box>
  );
}
