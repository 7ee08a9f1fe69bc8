/**
 * Whether an offer's pay is inside its opening's yearly range, as the API decides it (hiring/offers.py): a salary
 * times its pay periods in a year, an hourly rate at full time (2,080 hours). Decimal text is computed with
 * integers of ten-thousandths, never floats.
 */
const PERIODS_PER_YEAR: Record<string, bigint> = { weekly: 52n, biweekly: 26n, semimonthly: 24n, monthly: 12n };
const FULL_TIME_HOURS_PER_YEAR = 2080n;
const SCALE = 4;

function units(text: string): bigint | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const fraction = (match[2] ?? "").padEnd(SCALE, "0").slice(0, SCALE);
  return BigInt(match[1]) * 10n ** BigInt(SCALE) + BigInt(fraction || "0");
}

function text(value: bigint): string {
  const whole = value / 10n ** BigInt(SCALE);
  const cents = (value % 10n ** BigInt(SCALE)) / 100n; // shown to the cent, as the API rounds it
  return `${whole}.${String(cents).padStart(2, "0")}`;
}

/** The pay of a year as decimal text (`"28800.00"`), or null while the rate is not a number. */
export function yearlyPay(rate: string | null | undefined, payType: string, frequency: string): string | null {
  const amount = units(String(rate ?? ""));
  if (amount === null) return null;
  const times = payType === "hourly" ? FULL_TIME_HOURS_PER_YEAR : PERIODS_PER_YEAR[frequency];
  if (times === undefined) return null;
  return text(amount * times);
}

/** Whether a yearly pay lies outside the range (or is in another currency, which the range cannot vouch for). */
export function outsideRange(
  yearly: string | null,
  currency: string,
  range: { salary_min: string; salary_max: string; currency: string },
): boolean {
  const pay = yearly === null ? null : units(yearly);
  const low = units(range.salary_min);
  const high = units(range.salary_max);
  if (pay === null || low === null || high === null) return false;
  return currency.toUpperCase() !== range.currency || pay < low || pay > high;
}
