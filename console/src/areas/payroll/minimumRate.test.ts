import { describe, expect, it } from "vitest";
import { formatRate } from "./minimumRate";

describe("an hourly amount", () => {
  it("keeps up to four decimals, and at least the currency's two", () => {
    expect(formatRate("11.5385", "GBP", "en-GB")).toBe("£11.5385");
    expect(formatRate("12.0000", "EUR", "en-GB")).toBe("€12.00");
    expect(formatRate("0.4615", "EUR", "es-ES").replace(/\s/g, " ")).toBe("0,4615 €"); // a no-break space in es
  });

  it("is exact for long decimal text (no float on the way)", () => {
    expect(formatRate("123456789012.3456", "EUR", "en-GB")).toBe("€123,456,789,012.3456");
  });

  it("shows nothing for no amount", () => {
    expect(formatRate(null, "EUR", "en-GB")).toBe("");
    expect(formatRate("", "EUR", "en-GB")).toBe("");
  });
});
