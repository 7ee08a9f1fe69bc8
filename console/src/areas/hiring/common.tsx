/**
 * What hiring's, the checklists' and training's screens share: the API's records as types, reading a route
 * that is not a resource's own, running an action (a notification, field errors for a form, the lists read
 * again), and small fields and inputs (a person's name, a department, a day, an amount, a state).
 */
import { useState, type ReactNode } from "react";
import { Box, Button as MuiButton, Chip, Paper, Typography } from "@mui/material";
import {
  AutocompleteInput,
  Confirm,
  CreateButton,
  ReferenceInput,
  SaveButton,
  SelectInput,
  Toolbar,
  useDataProvider,
  useGetList,
  useGetOne,
  useLocaleState,
  useNotify,
  useRecordContext,
  useResourceContext,
  useTranslate,
  type AutocompleteInputProps,
  type SelectInputProps,
} from "react-admin";
import { Link } from "react-router-dom";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../api/schema";
import { ProblemError, type Query } from "../../api/http";
import { fillPath } from "../../api/resources";
import type { ConsoleDataProvider, Page } from "../../providers/dataProvider";
import { formatDate, formatDateTime, formatMoney, formatNumber } from "../../format";

type Schemas = components["schemas"];
export type Opening = Schemas["hr_OpeningRead"];
export type Candidate = Schemas["hr_CandidateRead"];
export type Application = Schemas["hr_ApplicationRead"];
export type Interview = Schemas["hr_InterviewRead"];
export type Offer = Schemas["hr_OfferRead"];
export type Template = Schemas["hr_TemplateRead"];
export type Task = Schemas["hr_TaskRead"];
export type Course = Schemas["hr_CourseRead"];
export type Session = Schemas["hr_SessionRead"];
export type Enrolment = Schemas["hr_EnrolmentRead"];
export type TrainingRow = Schemas["hr_TrainingStatusRow"];
export type Employee = Schemas["hr_EmployeeRead"];

/** A route's path with its parameters filled in (`/api/hr/openings/{opening_id}/approve` + id). */
export const path = fillPath;

/**
 * Reads a route of the API that is not a resource's list or record (an opening's applications, a course's
 * sessions). Its key starts with "hiring" so that an action reads it again.
 */
export function useApi<T>(url: string | null, query?: Query) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ["hiring", url, query],
    queryFn: () => dataProvider.get<T>(url as string, query),
    enabled: url !== null,
  });
}

/** The pipeline's stages in the company's order (`GET /hiring/stages`): the board's columns. */
export function useStages(): string[] | undefined {
  return useApi<{ stages: string[] }>("/api/hr/hiring/stages").data?.stages;
}

/**
 * Runs an action against the API: a notification saying it was done (or the problem the API answered), then
 * everything shown read again. Its `run` answers the field errors of a problem for a react-admin form's
 * `onSubmit` (shown beside the fields), or undefined when it succeeded.
 */
export function useAction() {
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  async function run<T>(
    action: () => Promise<T>,
    done?: string | ((result: T) => string),
    after?: (result: T) => void,
  ): Promise<Record<string, unknown> | undefined> {
    setBusy(true);
    try {
      const result = await action();
      if (done) notify(typeof done === "string" ? done : done(result), { type: "success" });
      await queryClient.invalidateQueries();
      after?.(result);
      return undefined;
    } catch (caught) {
      notify(caught instanceof Error ? caught.message : String(caught), { type: "error" });
      return caught instanceof ProblemError ? caught.body.errors : undefined;
    } finally {
      setBusy(false);
    }
  }
  return { run, busy };
}

export function useFormat() {
  const [locale] = useLocaleState();
  return {
    locale,
    day: (value: string | null | undefined) => formatDate(value, locale),
    moment: (value: string | null | undefined) => formatDateTime(value, locale),
    money: (value: string | number | null | undefined, currency: string) => formatMoney(value, currency, locale),
    /** A rating (`3.5`, `4.0`) with the decimals it has, as the language writes them. */
    rating: (value: string | number | null | undefined) =>
      value === null || value === undefined ? "—" : formatNumber(value, locale, String(value).split(".")[1]?.length ?? 0),
  };
}

/** A translated word for a value of the API (a status, a stage, a role); the value itself if it has none. */
export function useWord() {
  const translate = useTranslate();
  return (group: string, value: string | null | undefined) =>
    value ? translate(`hiring.${group}.${value}`, { _: value.replace(/_/g, " ") }) : "";
}

// Dark shades of the usual colours: a chip's small text keeps 4.5:1 against the page (WCAG AA).
const GREEN = "#1b5e20";
const BLUE = "#0d47a1";
const AMBER = "#7a4100";
const RED = "#b71c1c";
const GREY = "#424242";
const TONES: Record<string, string> = {
  open: GREEN,
  "task_status.open": BLUE,
  active: BLUE,
  sent: BLUE,
  enrolled: BLUE,
  attended: BLUE,
  accepted: GREEN,
  hired: GREEN,
  filled: GREEN,
  done: GREEN,
  completed: GREEN,
  on_hold: AMBER,
  expiring: AMBER,
  late: RED,
  overdue: RED,
};

/** A state as a labelled chip (its colour only repeats what the text says). */
export function StateChip({ group, value }: { group: string; value: string | null | undefined }) {
  const word = useWord();
  if (!value) return null;
  const color = TONES[`${group}.${value}`] ?? TONES[value] ?? GREY;
  return <Chip size="small" label={word(group, value)} variant="outlined" sx={{ color, borderColor: color }} />;
}

export function StateField({ source, group }: { source: string; group: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  return <StateChip group={group} value={record?.[source] as string | undefined} />;
}

export function DayField({ source }: { source: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const { day } = useFormat();
  return <span>{day(record?.[source] as string | undefined)}</span>;
}

export function MomentField({ source }: { source: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const { moment } = useFormat();
  return <span>{moment(record?.[source] as string | undefined)}</span>;
}

/** An employee's name, linked to their page (HR's employee screen). */
export function EmployeeName({ id, link = true }: { id: string | null | undefined; link?: boolean }) {
  const { data } = useGetOne<Employee & { id: string }>("employees", { id: id ?? "" }, { enabled: Boolean(id) });
  if (!id) return null;
  const name = data ? `${data.given_name} ${data.family_name}` : id;
  return link ? <Link to={`/employees/${encodeURIComponent(id)}/show`}>{name}</Link> : <span>{name}</span>;
}

export function EmployeeField({ source }: { source: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  return <EmployeeName id={record?.[source] as string | undefined} />;
}

/** The departments (a short list) by id, for their names and for choosing one. */
export function useDepartments() {
  const { data } = useGetList<{ id: string; name: string }>("departments", {
    pagination: { page: 1, perPage: 500 },
  });
  return data ?? [];
}

export function DepartmentName({ id, none = "hiring.common.no_department" }: { id: string | null | undefined; none?: string }) {
  const translate = useTranslate();
  const departments = useDepartments();
  if (!id) return <span>{translate(none)}</span>;
  return <span>{departments.find((d) => d.id === id)?.name ?? id}</span>;
}

export function DepartmentField({
  source,
  none,
}: {
  source: string;
  label?: string;
  sortable?: boolean;
  none?: string;
}) {
  const record = useRecordContext();
  return <DepartmentName id={record?.[source] as string | undefined} none={none} />;
}

export function DepartmentInput(props: Omit<SelectInputProps, "choices">) {
  const departments = useDepartments();
  return <SelectInput {...props} choices={departments} optionText="name" />;
}

const employeeName = (record: Employee) => `${record.given_name} ${record.family_name}`;

/** Choosing an employee by typing part of their name. */
export function EmployeeInput({
  source,
  label,
  ...rest
}: { source: string; label: string } & Omit<AutocompleteInputProps, "source" | "label">) {
  return (
    <ReferenceInput source={source} reference="employees">
      <AutocompleteInput
        label={label}
        optionText={employeeName}
        filterToQuery={(q: string) => ({ q })}
        {...rest}
      />
    </ReferenceInput>
  );
}

/** A titled part of a page: a heading of the right level, then its content. */
export function Part({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <Paper component="section" sx={{ p: 2, minWidth: 0 }} aria-label={title}>
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

/** Today in the person's own calendar, as the API writes a day. */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A moment typed in a datetime-local input, with the person's time zone, as the API takes it. */
export function isoMoment(value: unknown): string {
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

/**
 * A button for an action with consequences (approve, cancel, accept an offer): it asks first, in a dialog
 * that says what will happen, and runs the action only when confirmed.
 */
export function ConfirmAction({
  label,
  title,
  content,
  confirm,
  onConfirm,
  color = "primary",
  variant = "outlined",
  disabled,
}: {
  label: string;
  title: string;
  content: ReactNode;
  confirm?: string;
  onConfirm: () => Promise<unknown>;
  color?: "primary" | "error" | "success";
  variant?: "outlined" | "contained" | "text";
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <MuiButton variant={variant} color={color} size="small" onClick={() => setOpen(true)} disabled={disabled}>
        {label}
      </MuiButton>
      <Confirm
        isOpen={open}
        loading={busy}
        title={title}
        content={content}
        confirm={confirm ?? label}
        confirmColor={color === "error" ? "warning" : "primary"}
        onClose={() => setOpen(false)}
        onConfirm={async () => {
          if (busy) return; // a second click while the first is under way does nothing
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setOpen(false);
          }
        }}
      />
    </>
  );
}

/** What a react-admin form submits: its values by input name. */
export type Values = Record<string, any>;

/** A list with nothing in it yet: said in full contrast, with the way to add the first one where there is one. */
export function ListEmpty({ create = false }: { create?: boolean }) {
  const translate = useTranslate();
  const resource = useResourceContext() ?? "";
  const name = translate(`resources.${resource}.name`, { smart_count: 2, _: resource });
  return (
    <Paper sx={{ p: 2, mt: 2 }}>
      <Typography>{translate("ra.page.empty", { name })}</Typography>
      {create && (
        <Box sx={{ mt: 1 }}>
          <Typography>{translate("ra.page.invite")}</Typography>
          <CreateButton variant="contained" sx={{ mt: 1 }} />
        </Box>
      )}
    </Paper>
  );
}

/**
 * A button's accessible name when many alike stand on a page (one per card or row): its visible words first
 * (as WCAG's "label in name" asks), then whose it is.
 */
export function named(text: string, whose: string): string {
  return `${text}: ${whose}`;
}

/** A form's toolbar with only its submit button (the forms here create or act; nothing is deleted from them). */
export function SubmitBar({ label }: { label: string }) {
  return (
    <Toolbar>
      <SaveButton label={label} icon={<span />} alwaysEnable />
    </Toolbar>
  );
}

/** Lists of this area are read as API pages. */
export type { Page };
