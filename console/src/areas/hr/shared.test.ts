import { describe, expect, it } from "vitest";
import { grantableRoles, warningState } from "./shared";

describe("warningState", () => {
  const later = new Date(Date.now() + 3_600_000).toISOString();
  const earlier = new Date(Date.now() - 3_600_000).toISOString();

  it("is acknowledged once the employee acknowledged, even after the deadline", () => {
    expect(warningState({ acknowledge_by: earlier, acknowledged_at: earlier })).toBe("acknowledged");
  });

  it("is awaited before the deadline and overdue after it, or once marked ignored", () => {
    expect(warningState({ acknowledge_by: later })).toBe("awaiting");
    expect(warningState({ acknowledge_by: earlier })).toBe("overdue");
    expect(warningState({ acknowledge_by: later, ignored_at: earlier })).toBe("overdue");
  });
});

describe("grantableRoles", () => {
  it("offers what the API lets each grant: HR the everyday roles, an admin every person role", () => {
    expect(grantableRoles(["hr"])).toEqual(["employee", "manager"]);
    expect(grantableRoles(["admin"])).toContain("payroll");
    expect(grantableRoles(["employee"])).toEqual([]);
  });
});
