/**
 * Numbers, money and dates in the chosen language, with `Intl`. Amounts arrive from the API as exact decimal
 * text (`"3000.00"`): they are formatted from the text, never through a binary float, so what is shown is what
 * was paid.
 */

export function formatMoney(
  amount: string | number | null | undefined,
  currency: string,
  locale: string,
  options: { signed?: boolean } = {},
): string {
  if (amount === null || amount === undefined || amount === "") return "";
  const format = new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    // A change shows its sign either way ("+€1,200.00", "-€300.00"); zero none.
    ...(options.signed ? { signDisplay: "exceptZero" } : {}),
  });
  // Intl formats decimal strings exactly (ES2023): "1234567.89" is never rounded through a float.
  return format.format(String(amount) as unknown as number);
}

export function formatNumber(
  value: string | number | null | undefined,
  locale: string,
  digits?: number,
  signed = false,
): string {
  if (value === null || value === undefined || value === "") return "";
  const options: Intl.NumberFormatOptions = {
    ...(digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits }),
    ...(signed ? { signDisplay: "exceptZero" } : {}),
  };
  return new Intl.NumberFormat(locale, options).format(String(value) as unknown as number);
}

/** A calendar date (`2026-03-01`) as the person reads it; never shifted by their time zone. */
export function formatDate(value: string | null | undefined, locale: string): string {
  if (!value) return "";
  const [year, month, day] = value.slice(0, 10).split("-").map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(date);
}

/** A moment (`2026-03-01T09:30:00+01:00`) in the person's own time zone. */
export function formatDateTime(value: string | null | undefined, locale: string): string {
  if (!value) return "";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(value));
}

/** Decimal text added exactly (hours, amounts): integers of the smallest unit, never floats. */
export function addDecimals(values: (string | number | null | undefined)[], scale = 2): string {
  const factor = 10n ** BigInt(scale);
  let total = 0n;
  for (const value of values) {
    if (value === null || value === undefined || value === "") continue;
    const text = String(value).trim();
    const negative = text.startsWith("-");
    const [whole, fraction = ""] = text.replace(/^[-+]/, "").split(".");
    if (!/^\d*$/.test(whole) || !/^\d*$/.test(fraction)) throw new Error(`${text} is not a decimal number`);
    const padded = (fraction + "0".repeat(scale)).slice(0, scale);
    const units = BigInt(whole || "0") * factor + BigInt(padded || "0");
    total += negative ? -units : units;
  }
  const negative = total < 0n;
  const absolute = negative ? -total : total;
  const whole = absolute / factor;
  const fraction = (absolute % factor).toString().padStart(scale, "0");
  return `${negative ? "-" : ""}${whole}${scale ? `.${fraction}` : ""}`;
}

/** A percentage the API gives as decimal text (`"12.50"` is 12.5 %), formatted from the text, never through a float. */
export function formatPercent(value: string | number | null | undefined, locale: string, digits = 2): string {
  if (value === null || value === undefined || value === "") return "";
  const format = new Intl.NumberFormat(locale, {
    style: "unit",
    unit: "percent",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return format.format(String(value) as unknown as number);
}
