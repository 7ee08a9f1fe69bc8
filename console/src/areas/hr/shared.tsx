/**
 * What HR's screens share: a form action's submit that puts the API's field errors beside the fields, a
 * confirmation step that says what will happen, the choices of the API's fixed words, and a few fields.
 */
import { useCallback, useRef, useState, type ReactNode } from "react";
import { Button as MuiButton, Chip } from "@mui/material";
import DownloadIcon from "@mui/icons-material/Download";
import {
  Confirm,
  FunctionField,
  SelectInput,
  useDataProvider,
  useGetList,
  useLocaleState,
  useNotify,
  useRecordContext,
  useTranslate,
} from "react-admin";
import { call, ProblemError } from "../../api/http";
import { fillPath } from "../../api/resources";
import { formatDate, formatDateTime, formatMoney } from "../../format";
import type { ConsoleDataProvider } from "../../providers/dataProvider";
import { HR_ACTIONS } from "./resources";

/** A form's values (react-hook-form's shape). */
export type FieldValues = Record<string, any>;

/** Fixed words of the API as react-admin choices, their names translation keys (`hr.status.active`). */
export function choices(group: string, ids: readonly string[]) {
  return ids.map((id) => ({ id, name: `hr.${group}.${id}` }));
}

export const STATUSES = choices("status", ["active", "on_leave", "terminated"]);
export const EMPLOYMENT_TYPES = choices("employment_type", ["hourly", "salaried"]);
export const FREQUENCIES = choices("frequency", ["weekly", "biweekly", "semimonthly", "monthly"]);
export const TERMINATION_KINDS = choices("termination_kind", [
  "voluntary",
  "dismissal",
  "end_of_contract",
  "retirement",
  "other",
]);
export const STEPS = choices("step", ["verbal", "written", "final_written", "dismissal_review", "dismiss", "keep"]);
export const CASE_STATUSES = choices("case_status", ["open", "dismissal_review", "kept", "dismissed"]);
export const STEP_REASONS = choices("step_reason", ["warning", "ignored", "gross_misconduct", "decision"]);
export const CATEGORIES = choices("category", ["conduct", "ethics", "attendance", "performance", "policy"]);
export const SEVERITIES = choices("severity", ["minor", "serious", "gross_misconduct"]);
export const WARNING_STATES = choices("warning_state", ["awaiting", "overdue", "acknowledged"]);
export const COMPLAINT_STATUSES = choices("complaint_status", ["filed", "investigating", "resolved", "unfounded"]);
export const AGAINST_KINDS = choices("against_kind", ["person", "team", "practice"]);
export const TIMESHEET_STATUSES = choices("timesheet_status", ["draft", "submitted", "verified", "rejected"]);
export const PERSON_ROLES = ["employee", "manager", "hr", "payroll", "it_agent", "office", "pay_auditor", "admin"] as const;

/** The roles a person may give a new login (as the API allows: HR the everyday ones, an admin every one). */
export function grantableRoles(mine: readonly string[] | undefined): string[] {
  if (mine?.includes("admin")) return [...PERSON_ROLES];
  if (mine?.includes("hr")) return ["employee", "manager"];
  return [];
}

/** Today in the person's own calendar, as the API's dates are written (`2026-03-01`). */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The submit of a form that calls an action of the API: on a problem the notification says what is wrong and each
 * field error is returned, so react-admin's form shows it beside its field.
 */
export function useActionSubmit<T extends FieldValues>(action: (values: T) => Promise<unknown>) {
  const notify = useNotify();
  return useCallback(
    async (values: T) => {
      try {
        await action(values);
        return undefined;
      } catch (error) {
        notify(error instanceof Error ? error.message : String(error), { type: "error" });
        if (error instanceof ProblemError) return error.body.errors as FieldValues;
        return undefined;
      }
    },
    [action, notify],
  );
}

/**
 * A confirmation before a destructive or legal action: `ask()` opens the dialog saying what will happen and
 * resolves to true when the person confirms.
 */
export function useConfirmation() {
  const [open, setOpen] = useState<{ title: string; content: ReactNode } | null>(null);
  const answer = useRef<(yes: boolean) => void>(() => undefined);
  const ask = useCallback(
    (title: string, content: ReactNode) =>
      new Promise<boolean>((resolve) => {
        answer.current = resolve;
        setOpen({ title, content });
      }),
    [],
  );
  const close = (yes: boolean) => {
    setOpen(null);
    answer.current(yes);
  };
  const dialog = (
    <Confirm
      isOpen={open !== null}
      title={open?.title ?? ""}
      content={open?.content ?? ""}
      confirmColor="warning"
      onConfirm={() => close(true)}
      onClose={() => close(false)}
    />
  );
  return { ask, dialog };
}

export function useDataApi() {
  return useDataProvider<ConsoleDataProvider>();
}

/** An employee's full name. */
export function fullName(record: { given_name?: string; family_name?: string } | undefined): string {
  return record ? `${record.given_name ?? ""} ${record.family_name ?? ""}`.trim() : "";
}

export function NameField({ label }: { label?: string }) {
  return <FunctionField label={label} sortable={false} render={(record) => fullName(record)} />;
}

/** A calendar date of the record in the chosen language. */
export function DayField({ source, label }: { source: string; label?: string }) {
  const [locale] = useLocaleState();
  return (
    <FunctionField
      source={source}
      label={label}
      sortable={false}
      render={(record: Record<string, string | null>) => formatDate(record[source], locale)}
    />
  );
}

/** A moment of the record in the chosen language and the person's time zone. */
export function MomentField({ source, label }: { source: string; label?: string }) {
  const [locale] = useLocaleState();
  return (
    <FunctionField
      source={source}
      label={label}
      sortable={false}
      render={(record: Record<string, string | null>) => formatDateTime(record[source], locale)}
    />
  );
}

/** An amount in the record's own currency. */
export function MoneyField({ source, currency, label }: { source: string; currency: string; label?: string }) {
  const [locale] = useLocaleState();
  return (
    <FunctionField
      source={source}
      label={label}
      sortable={false}
      render={(record: Record<string, string>) => formatMoney(record[source], record[currency], locale)}
    />
  );
}

/** Downloads a document the docs service filed (the API needs the session's token, so not a plain link). */
export function DownloadButton() {
  const record = useRecordContext<{ id: string; title: string }>();
  const translate = useTranslate();
  const notify = useNotify();
  if (!record) return null;
  async function download() {
    try {
      const response = await call(fillPath(HR_ACTIONS.documentContent, record!.id), { raw: true });
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = record!.title;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
    }
  }
  return (
    <MuiButton size="small" startIcon={<DownloadIcon />} onClick={download}>
      {translate("hr.documents.download", { title: record.title })}
    </MuiButton>
  );
}

/** Where a warning stands: acknowledged, awaiting acknowledgement (deadline ahead), or overdue. */
export function warningState(warning: {
  acknowledged_at?: string | null;
  ignored_at?: string | null;
  acknowledge_by: string;
}): "acknowledged" | "overdue" | "awaiting" {
  if (warning.acknowledged_at) return "acknowledged";
  if (warning.ignored_at || new Date(warning.acknowledge_by).getTime() < Date.now()) return "overdue";
  return "awaiting";
}

export function WarningStateField({ label }: { label?: string }) {
  const translate = useTranslate();
  return (
    <FunctionField
      label={label}
      sortable={false}
      render={(record: Parameters<typeof warningState>[0]) => {
        const state = warningState(record);
        return (
          <Chip
            size="small"
            label={translate(`hr.warning_state.${state}`)}
            color={state === "overdue" ? "error" : state === "acknowledged" ? "success" : "default"}
            variant={state === "awaiting" ? "outlined" : "filled"}
          />
        );
      }}
    />
  );
}

/**
 * The department, chosen among all of them (the API lists departments but has no route for one, so not a
 * ReferenceInput, which would fetch the chosen one by id).
 */
export function DepartmentInput({ source = "department_id", alwaysOn }: { source?: string; alwaysOn?: boolean }) {
  const { data, isPending } = useGetList<{ id: string; name: string }>("departments", {
    pagination: { page: 1, perPage: 200 },
    sort: { field: "", order: "ASC" },
  });
  void alwaysOn; // read by the list's filter form
  return <SelectInput source={source} choices={data ?? []} isPending={isPending} optionText="name" />;
}
