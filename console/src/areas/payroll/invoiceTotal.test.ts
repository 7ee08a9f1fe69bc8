import { describe, expect, it } from "vitest";
import { lineAmount, minorUnit, previewTotal } from "./invoiceTotal";

describe("an invoice's total before it is saved", () => {
  it("multiplies exactly and rounds each line half-up to the cent", () => {
    expect(lineAmount("10", "4.50")).toBe("45.00");
    expect(lineAmount("3", "0.1")).toBe("0.30"); // 0.30000000000000004 as floats
    expect(lineAmount("1.5", "0.333")).toBe("0.50"); // 0.4995 -> 0.50
    expect(lineAmount("0.005", "1")).toBe("0.01");
    expect(lineAmount("0.0049", "1")).toBe("0.00");
    expect(lineAmount("2,5", "2")).toBeNull(); // the API refuses a comma: no preview
    expect(lineAmount("1", "12345678901234.5678")).toBe("12345678901234.57");
    expect(lineAmount("x", "1")).toBeNull();
    expect(lineAmount("-1", "1")).toBeNull();
  });
  it("adds the rounded lines, in the currency's minor unit", () => {
    expect(previewTotal([{ quantity: "10", unit_price: "4.50" }, { unit_price: "0.125" }], "EUR")).toBe("45.13");
    expect(previewTotal([{ quantity: "3", unit_price: "0.1" }, { quantity: "3", unit_price: "0.1" }], "EUR")).toBe("0.60");
    expect(previewTotal([{ quantity: "2", unit_price: "100.5" }], "JPY")).toBe("201");
    expect(previewTotal([{ quantity: "2", unit_price: "" }], "EUR")).toBeNull();
    expect(previewTotal([], "EUR")).toBeNull();
    expect(minorUnit("JPY")).toBe(0);
    expect(minorUnit("EUR")).toBe(2);
  });
});
