import { Typography } from "@mui/material";
import { useLocaleState, useRecordContext } from "react-admin";
import { formatDate, formatMoney, formatNumber } from "../../format";

/** An amount of the record in the record's currency, from the API's decimal text. */
export function MoneyField({
  source,
  currency = "currency",
}: {
  source: string;
  currency?: string;
  label?: string;
  textAlign?: "right" | "left";
}) {
  const record = useRecordContext();
  const [locale] = useLocaleState();
  if (!record) return null;
  return (
    <Typography component="span" variant="body2" sx={{ fontVariantNumeric: "tabular-nums" }}>
      {formatMoney(record[source] as string, String(record[currency] ?? "EUR"), locale)}
    </Typography>
  );
}

/** A calendar date of the record, in the reader's language. */
export function DayField({ source }: { source: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const [locale] = useLocaleState();
  if (!record) return null;
  return (
    <Typography component="span" variant="body2">
      {formatDate(record[source] as string | null, locale)}
    </Typography>
  );
}

/** Hours or another quantity of the record, as decimal text in the reader's language. */
export function NumberText({ source }: { source: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const [locale] = useLocaleState();
  if (!record) return null;
  return (
    <Typography component="span" variant="body2" sx={{ fontVariantNumeric: "tabular-nums" }}>
      {formatNumber(record[source] as string | null, locale, 2)}
    </Typography>
  );
}

/** Saves a response as a file, through a link to its blob (the download carries the access token). */
export async function saveResponse(response: Response, fallbackName: string) {
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
