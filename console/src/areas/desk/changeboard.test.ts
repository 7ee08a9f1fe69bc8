import { describe, expect, it } from "vitest";
import { changeColumns, isOwnChange, nextAction, type BoardChange } from "./changeboard";

const change = (id: string, status: BoardChange["status"], start: string): BoardChange => ({
  id,
  status,
  planned_start: start,
  requested_by: "u-ida",
});

describe("the change board", () => {
  it("puts each change in its status's column, soonest first, rejected last", () => {
    const board = changeColumns([
      change("b", "requested", "2026-12-09T10:00:00Z"),
      change("a", "requested", "2026-12-08T10:00:00Z"),
      change("c", "rejected", "2026-12-08T10:00:00Z"),
      change("d", "reviewed", "2026-12-01T10:00:00Z"),
    ]);
    expect(board.map(([status, items]) => [status, items.map((c) => c.id)])).toEqual([
      ["requested", ["a", "b"]],
      ["approved", []],
      ["implemented", []],
      ["reviewed", ["d"]],
      ["rejected", ["c"]],
    ]);
  });

  it("offers the next step, and none once reviewed or rejected", () => {
    expect(nextAction("requested")).toBe("decide");
    expect(nextAction("approved")).toBe("implemented");
    expect(nextAction("implemented")).toBe("review");
    expect(nextAction("reviewed")).toBeUndefined();
    expect(nextAction("rejected")).toBeUndefined();
  });

  it("knows the requester's own change", () => {
    const c = change("a", "requested", "2026-12-08T10:00:00Z");
    expect(isOwnChange(c, "u-ida")).toBe(true);
    expect(isOwnChange(c, "u-root")).toBe(false);
    expect(isOwnChange(c, undefined)).toBe(false);
  });
});
