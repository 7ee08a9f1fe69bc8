import { describe, expect, it } from "vitest";
import { addDecimals, formatDate, formatMoney, formatNumber, formatPercent } from "./format";

describe("formatting", () => {
  it("formats money in the locale and the record's currency, exactly", () => {
    expect(formatMoney("1234567.89", "EUR", "es")).toBe("1.234.567,89\u00a0€");
    expect(formatMoney("1234567.89", "USD", "en")).toBe("$1,234,567.89");
    expect(formatMoney("1234", "JPY", "en")).toBe("¥1,234");
    expect(formatMoney("90071992547409.93", "EUR", "en")).toBe("€90,071,992,547,409.93");
  });

  it("shows a change with its sign, exactly", () => {
    expect(formatMoney("1200.50", "EUR", "en", { signed: true })).toBe("+€1,200.50");
    expect(formatMoney("-90071992547409.93", "EUR", "en", { signed: true })).toBe("-€90,071,992,547,409.93");
    expect(formatMoney("0.00", "EUR", "en", { signed: true })).toBe("€0.00");
    expect(formatNumber("-12.5", "es", 1, true)).toBe("-12,5");
    expect(formatNumber("7.0", "en", 1, true)).toBe("+7.0");
  });

  it("shows a calendar date as that date in any time zone", () => {
    expect(formatDate("2026-03-01", "en")).toBe("Mar 1, 2026");
    expect(formatDate("2026-03-01", "es")).toBe("1 mar 2026");
  });

  it("adds decimal text exactly", () => {
    expect(addDecimals(["0.1", "0.2", "7.70"])).toBe("8.00");
    expect(addDecimals(["8", "-0.25", null, ""])).toBe("7.75");
  });

  it("shows a percentage given as decimal text, exactly and in the locale", () => {
    expect(formatPercent("12.5", "en")).toBe("12.50%");
    expect(formatPercent("-3.07", "es")).toBe("-3,07\u00a0%");
    expect(formatPercent("0", "en")).toBe("0.00%");
    expect(formatPercent(null, "en")).toBe("");
  });
});
