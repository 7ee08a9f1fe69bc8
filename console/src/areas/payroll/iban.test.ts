import { describe, expect, it } from "vitest";
import { bicProblem, ibanProblem } from "./iban";

describe("bank details as typed", () => {
  it("accepts valid IBANs, with or without spaces", () => {
    expect(ibanProblem("DE89 3704 0044 0532 0130 00")).toBeUndefined();
    expect(ibanProblem("es9121000418450200051332")).toBeUndefined();
    expect(ibanProblem("")).toBeUndefined();
  });
  it("refuses a wrong check digit and a wrong shape", () => {
    expect(ibanProblem("DE88 3704 0044 0532 0130 00")).toBe("payroll.suppliers.iban_check");
    expect(ibanProblem("1234")).toBe("payroll.suppliers.iban_shape");
  });
  it("checks a BIC's shape", () => {
    expect(bicProblem("COBADEFFXXX")).toBeUndefined();
    expect(bicProblem("COBADEFF")).toBeUndefined();
    expect(bicProblem("COBA")).toBe("payroll.suppliers.bic_shape");
  });
});

describe("a BIC a bank file can carry", () => {
  it("refuses a test or passive location code, and one ending in O", () => {
    expect(bicProblem("COBADE0F")).toBe("payroll.suppliers_more.bic_location");
    expect(bicProblem("COBADE1F")).toBe("payroll.suppliers_more.bic_location");
    expect(bicProblem("COBADEFO")).toBe("payroll.suppliers_more.bic_location");
    expect(bicProblem("ubswchzh80a")).toBeUndefined();
  });
});
