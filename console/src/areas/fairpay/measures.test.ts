import { describe, expect, it } from "vitest";
import { measureStatus } from "./measures";

describe("a measure's state", () => {
  const followUps = [
    { measure_index: 0, status: "in_progress", created_at: "2026-03-01T10:00:00Z" },
    { measure_index: null, status: "in_progress", created_at: "2026-04-01T10:00:00Z" },
    { measure_index: 1, status: "done", created_at: "2026-05-01T09:00:00+02:00" },
    { measure_index: 0, status: "done", created_at: "2026-02-01T10:00:00Z" },
  ];

  it("is planned before any follow-up", () => {
    expect(measureStatus([], 0)).toBe("planned");
  });

  it("is the latest follow-up naming it or every measure, by time not by order", () => {
    expect(measureStatus(followUps, 0)).toBe("in_progress");
    expect(measureStatus(followUps, 1)).toBe("done");
    expect(measureStatus(followUps, 2)).toBe("in_progress");
  });
});
