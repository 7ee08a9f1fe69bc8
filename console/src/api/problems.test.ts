import { describe, expect, it } from "vitest";
import { fieldErrors, formFieldErrors, messageOf, slugOf } from "./problems";
import { ProblemError, queryString } from "./http";

describe("problems", () => {
  const problem = {
    type: "urn:backoffice:problem:validation-failed",
    status: 422,
    detail: "2 fields are not valid",
    errors: [
      { field: "body.email", message: "value is not a valid email address" },
      { field: "body.lines.0.amount", message: "at most 2 decimals" },
      { field: "query.limit", message: "at most 500" },
    ],
  };

  it("puts each body field's error where the form's value is", () => {
    expect(fieldErrors(problem)).toEqual({
      email: "value is not a valid email address",
      lines: { "0": { amount: "at most 2 decimals" } },
    });
  });

  it("gives a flat form only its own fields' errors", () => {
    expect(formFieldErrors(problem)).toEqual({ email: "value is not a valid email address" });
  });

  it("names in the message the errors no form field shows", () => {
    expect(messageOf(problem)).toBe("2 fields are not valid — query.limit: at most 500");
    expect(slugOf(problem)).toBe("validation-failed");
  });

  it("says which part of the suite is down", () => {
    const message = messageOf({ status: 503, upstream: "payroll", detail: "payroll is not reachable" });
    expect(message).toContain("payroll service is unavailable");
    expect(message).toContain("rest of the console still works");
  });

  it("is shaped as react-admin's HttpError, so forms show the field errors", () => {
    const error = new ProblemError(problem);
    expect(error.status).toBe(422);
    expect(Object.prototype.hasOwnProperty.call(error, "body")).toBe(true);
    expect(error.body.errors.email).toBe("value is not a valid email address");
  });

  it("writes query parameters, repeated for lists, without empty ones", () => {
    expect(queryString({ limit: 50, offset: 0, q: "", status: ["active", "on_leave"], x: undefined })).toBe(
      "?limit=50&offset=0&status=active&status=on_leave",
    );
  });
});

describe("a part of the suite that is down", () => {
  it("is named in the chosen language once the console has started", async () => {
    const { i18nProvider } = await import("../providers/i18nProvider");
    await i18nProvider.changeLocale("es");
    const message = messageOf({ status: 503, upstream: "helpdesk", detail: "helpdesk is not reachable" });
    expect(message).toContain("El servicio de soporte informático no está disponible ahora");
    await i18nProvider.changeLocale("en");
    expect(messageOf({ status: 504, upstream: "docs" })).toContain("The documents service is unavailable");
    // Importing the provider loads every area's catalogues: seconds on a loaded machine, not Vitest's default 5.
  }, 30_000);
});
