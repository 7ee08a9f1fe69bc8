import { describe, expect, it } from "vitest";
import { outsideRange, yearlyPay } from "./range";

const range = { salary_min: "24000.00", salary_max: "30000.00", currency: "EUR" };

describe("an offer's yearly pay against its opening's range", () => {
  it("annualises a salary by its pay periods and an hourly rate at full time", () => {
    expect(yearlyPay("2400", "salaried", "monthly")).toBe("28800.00");
    expect(yearlyPay("900", "salaried", "biweekly")).toBe("23400.00");
    expect(yearlyPay("15", "hourly", "monthly")).toBe("31200.00");
    expect(yearlyPay("1153.8462", "salaried", "weekly")).toBe("60000.00");
    expect(yearlyPay("abc", "salaried", "monthly")).toBeNull();
  });

  it("is outside under the minimum, over the maximum and in another currency, never at the bounds", () => {
    expect(outsideRange("28800.00", "EUR", range)).toBe(false);
    expect(outsideRange("24000.00", "eur", range)).toBe(false);
    expect(outsideRange("30000.00", "EUR", range)).toBe(false);
    expect(outsideRange("23999.99", "EUR", range)).toBe(true);
    expect(outsideRange("30000.01", "EUR", range)).toBe(true);
    expect(outsideRange("28800.00", "USD", range)).toBe(true);
    expect(outsideRange(null, "EUR", range)).toBe(false);
  });
});
