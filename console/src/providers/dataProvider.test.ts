import { describe, expect, it } from "vitest";
import { changes, listQuery } from "./dataProvider";
import { fillPath, itemPath } from "../api/resources";

describe("the data provider", () => {
  it("asks for a page with limit and offset and the filters as parameters", () => {
    expect(listQuery("employees", { page: 3, perPage: 25 }, { q: "ana", status: "active", empty: "" })).toEqual({
      limit: 25,
      offset: 50,
      q: "ana",
      status: "active",
    });
  });

  it("sends only what changed in an update", () => {
    expect(changes({ a: 1, b: "x", c: [1] }, { a: 1, b: "y", c: [1] })).toEqual({ b: "x" });
  });

  it("fills path parameters, encoded", () => {
    expect(fillPath("/api/hr/employees/{employee_id}", "E 1")).toBe("/api/hr/employees/E%201");
    expect(itemPath("employees", "E1")).toBe("/api/hr/employees/E1");
  });
});
