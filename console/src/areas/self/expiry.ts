/** How a certificate's expiry date reads on a given day: expired, expiring soon (within some days), or valid. */

export type Expiry = { state: "none" } | { state: "expired" | "soon" | "valid"; days: number };

/** Whole days from one calendar date to another (`2026-03-01` -> `2026-03-31` is 30). */
export function daysBetween(from: string, to: string): number {
  const utc = (day: string) => {
    const [year, month, date] = day.slice(0, 10).split("-").map(Number);
    return Date.UTC(year, month - 1, date);
  };
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

export function expiryOf(expiresOn: string | null | undefined, today: string, soonDays = 90): Expiry {
  if (!expiresOn) return { state: "none" };
  const days = daysBetween(today, expiresOn);
  if (days < 0) return { state: "expired", days: -days };
  return { state: days <= soonDays ? "soon" : "valid", days };
}
