/**
 * The total of an invoice before it is saved, as the API will compute it: each line's quantity times its unit
 * price rounded half-up to the currency's minor unit, then the lines added. Exact decimal text in and out
 * (BigInt of the smallest unit), never a binary float; the total shown once saved is the API's.
 */

const DECIMAL = /^\s*(\d+)(?:\.(\d*))?\s*$/; // what the API takes: digits, a point, digits

/** Decimal text as an integer count of 10^-scale, or null when it is not a plain non-negative decimal. */
function units(text: string, scale: number): { value: bigint; scale: number } | null {
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const fraction = match[2] ?? "";
  if (fraction.length > scale) return { value: BigInt(match[1] + fraction), scale: fraction.length };
  return { value: BigInt(match[1] + fraction.padEnd(scale, "0")), scale };
}

function text(value: bigint, scale: number): string {
  const digits = value.toString().padStart(scale + 1, "0");
  return scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
}

/** quantity × unit price rounded half-up to `scale` decimals, or null when either is not a decimal number. */
export function lineAmount(quantity: string, unitPrice: string, scale = 2): string | null {
  const q = units(quantity, 0);
  const p = units(unitPrice, 0);
  if (!q || !p) return null;
  const product = q.value * p.value; // exact, with q.scale + p.scale decimals
  const extra = q.scale + p.scale - scale;
  if (extra <= 0) return text(product * 10n ** BigInt(-extra), scale);
  const divisor = 10n ** BigInt(extra);
  const rounded = (product + divisor / 2n) / divisor; // half-up (never negative here)
  return text(rounded, scale);
}

/** The minor unit of a currency (2 for EUR, 0 for JPY), as Intl knows it; 2 for a code it does not know. */
export function minorUnit(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export interface LineText {
  quantity?: string | number | null;
  unit_price?: string | number | null;
}

/** The invoice's total as the API would compute it, or null while a line is incomplete or not a number. */
export function previewTotal(lines: (LineText | null | undefined)[] | null | undefined, currency: string): string | null {
  if (!lines || lines.length === 0) return null;
  const scale = minorUnit(currency);
  let total = 0n;
  for (const line of lines) {
    const quantity = line?.quantity === undefined || line?.quantity === null || line.quantity === "" ? "1" : String(line.quantity);
    if (line?.unit_price === undefined || line.unit_price === null || line.unit_price === "") return null;
    const amount = lineAmount(quantity, String(line.unit_price), scale);
    if (amount === null) return null;
    total += units(amount, scale)!.value;
  }
  return text(total, scale);
}
