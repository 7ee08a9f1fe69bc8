import { describe, expect, it } from "vitest";
import { daysBetween, expiryOf } from "./expiry";

describe("a certificate's expiry", () => {
  it("counts calendar days, across months, years and a leap day", () => {
    expect(daysBetween("2026-03-01", "2026-03-31")).toBe(30);
    expect(daysBetween("2027-12-31", "2028-03-01")).toBe(61);
    expect(daysBetween("2026-03-31", "2026-03-01")).toBe(-30);
  });

  it("reads as expired, expiring soon or valid on a given day", () => {
    expect(expiryOf(null, "2026-03-01")).toEqual({ state: "none" });
    expect(expiryOf("2026-02-27", "2026-03-01")).toEqual({ state: "expired", days: 2 });
    expect(expiryOf("2026-03-01", "2026-03-01")).toEqual({ state: "soon", days: 0 });
    expect(expiryOf("2026-05-30", "2026-03-01")).toEqual({ state: "soon", days: 90 });
    expect(expiryOf("2026-05-31", "2026-03-01")).toEqual({ state: "valid", days: 91 });
    expect(expiryOf("2026-04-01", "2026-03-01", 30)).toEqual({ state: "valid", days: 31 });
  });
});
