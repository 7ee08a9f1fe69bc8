/**
 * What the self-service screens share: who the signed-in employee is, fields that format dates, money and the
 * API's choices in the chosen language, and opening a PDF filed in docs through the API (the access token never
 * goes into a URL: the file is fetched, then shown from an object URL, which the console's CSP allows in frames).
 */
import { useEffect, useState, type ReactNode } from "react";
import { Alert, Box, Button, Chip, Link, Stack, type ChipProps } from "@mui/material";
import { Link as RouterLink } from "react-router-dom";
import PictureAsPdfIcon from "@mui/icons-material/PictureAsPdf";
import { useGetIdentity, useLocaleState, useRecordContext, useTranslate } from "react-admin";
import { call } from "../../api/http";
import { fillPath } from "../../api/resources";
import { formatDate, formatDateTime, formatMoney, formatNumber } from "../../format";
import { Loading } from "../../components/States";
import { SELF_API } from "./resources";

/** The signed-in person's employee id (null for a login without an employee record). */
export function useMyEmployeeId(): { employeeId: string | null; isPending: boolean } {
  const { identity, isPending } = useGetIdentity();
  return { employeeId: (identity?.employeeId as string | null | undefined) ?? null, isPending };
}

/** The screens of a person's own records, shown once we know whose records they are. */
export function ForMe({ children }: { children: (employeeId: string) => ReactNode }) {
  const translate = useTranslate();
  const { employeeId, isPending } = useMyEmployeeId();
  if (isPending) return <Loading />;
  if (!employeeId) return <Alert severity="info">{translate("app.profile.no_employee")}</Alert>;
  return <>{children(employeeId)}</>;
}

/** Formatting in the console's language. */
export function useFormat() {
  const [locale = "en"] = useLocaleState();
  return {
    locale,
    day: (value: string | null | undefined) => formatDate(value, locale),
    moment: (value: string | null | undefined) => formatDateTime(value, locale),
    money: (value: string | null | undefined, currency: string) => formatMoney(value, currency, locale),
    hours: (value: string | null | undefined) => formatNumber(value, locale, 2),
  };
}

interface FieldProps {
  source: string;
  label?: string;
  sortable?: boolean;
}

/** A calendar date of the record. */
export function DayField({ source }: FieldProps) {
  const record = useRecordContext();
  const { day } = useFormat();
  return <span>{day(record?.[source] as string | null)}</span>;
}

/** A moment of the record, in the person's time zone. */
export function MomentField({ source }: FieldProps) {
  const record = useRecordContext();
  const { moment } = useFormat();
  return <span>{moment(record?.[source] as string | null)}</span>;
}

/** An amount in the record's own currency. */
export function MoneyField({ source, currencySource = "currency" }: FieldProps & { currencySource?: string }) {
  const record = useRecordContext();
  const { money } = useFormat();
  if (!record) return null;
  return <span>{money(record[source] as string, String(record[currencySource]))}</span>;
}

/**
 * The record's main words as a link to its page: the row is clickable too, but a link is what the keyboard and
 * screen readers reach.
 */
export function LinkField({ to, children }: FieldProps & { to: (id: string) => string; children: ReactNode }) {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <Link component={RouterLink} to={to(String(record.id))} onClick={(event) => event.stopPropagation()}>
      {children}
    </Link>
  );
}

/** One of the API's choices (`status: "open"`), in words (`self.choices.<group>.<value>`). */
export function ChoiceField({ source, group, chip }: FieldProps & { group: string; chip?: (value: string) => ChipProps["color"] }) {
  const record = useRecordContext();
  const translate = useTranslate();
  const value = record?.[source];
  if (value === null || value === undefined) return null;
  const words = translate(`self.choices.${group}.${value}`, { _: String(value) });
  return chip ? <Chip size="small" label={words} color={chip(String(value))} /> : <span>{words}</span>;
}

/** The choices of a group as react-admin inputs take them, each named in words. */
export function useChoices(group: string, values: readonly string[]) {
  const translate = useTranslate();
  return values.map((id) => ({ id, name: translate(`self.choices.${group}.${id}`) }));
}

/**
 * A PDF filed in docs: fetched with the session's token when the person asks for it, shown in a frame, with a
 * link to open it in a tab of its own and one to save it.
 */
export function PdfDocument({ documentId, title, filename }: { documentId: string; title: string; filename: string }) {
  const translate = useTranslate();
  const [url, setUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [url]);

  async function open() {
    setBusy(true);
    setError(null);
    try {
      const response = await call(fillPath(SELF_API.documentContent, documentId));
      const blob = await response.blob();
      const pdf = blob.type === "application/pdf" ? blob : new Blob([blob], { type: "application/pdf" });
      setUrl(URL.createObjectURL(pdf));
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  if (!url)
    return (
      <Stack spacing={1} alignItems="flex-start">
        <Button variant="contained" startIcon={<PictureAsPdfIcon />} onClick={open} disabled={busy}>
          {translate(busy ? "app.states.loading" : "self.pdf.open")}
        </Button>
        {error && <Alert severity="error">{translate("app.states.error", { message: error })}</Alert>}
      </Stack>
    );
  return (
    <Stack spacing={1}>
      <Stack direction="row" spacing={2}>
        <Link href={url} target="_blank" rel="noopener">
          {translate("self.pdf.new_tab")}
        </Link>
        <Link href={url} download={filename}>
          {translate("self.pdf.download")}
        </Link>
      </Stack>
      <Box
        component="iframe"
        title={title}
        src={url}
        sx={{ width: "100%", height: "75vh", border: 1, borderColor: "divider", borderRadius: 1 }}
      />
    </Stack>
  );
}
