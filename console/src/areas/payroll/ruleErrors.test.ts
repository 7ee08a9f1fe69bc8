import { describe, expect, it } from "vitest";
import { ruleSetErrors } from "./ruleErrors";

const rules = [{ kind: "percentage" }, { kind: "brackets" }];

describe("ruleSetErrors", () => {
  it("puts a field error on its rule, its bracket row and its field, without the union's tag", () => {
    const errors = ruleSetErrors(
      {
        status: 422,
        errors: [
          { field: "body.rules.1.brackets.brackets.1.percent", message: "Input should be less than or equal to 100" },
          { field: "body.rules.0.percentage.period_cap", message: "Input should be a valid decimal" },
          { field: "body.rules.1.brackets", message: "Value error, rule income_tax: brackets need ascending bounds" },
          { field: "body.effective_from", message: "Field required" },
          { field: "body", message: "Value error, rule code 'x' is used twice" },
        ],
      },
      rules,
    );
    expect(errors).toEqual({
      "rules.1.brackets.1.percent": "Input should be less than or equal to 100",
      "rules.0.period_cap": "Input should be a valid decimal",
      "rules.1": "rule income_tax: brackets need ascending bounds",
      effective_from: "Field required",
      "": "rule code 'x' is used twice",
    });
  });

  it("puts an overlap of dates on the first day, another problem above the table", () => {
    const overlap = { status: 409, type: "urn:backoffice:problem:rules-overlap", detail: "overlaps version 1" };
    expect(ruleSetErrors(overlap, rules)).toEqual({ effective_from: "overlaps version 1" });
    expect(ruleSetErrors({ status: 404, detail: "pay group x does not exist" }, rules)).toEqual({
      "": "pay group x does not exist",
    });
  });
});
