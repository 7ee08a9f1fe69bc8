import { describe, expect, it } from "vitest";
import {
  addDays,
  entriesFromGrid,
  gridFromEntries,
  gridTotals,
  isValid,
  mondayOf,
  readHours,
  today,
  weekDays,
  type Grid,
} from "./week";

const MONDAY = "2026-03-02";

function grid(cells: Record<string, Record<string, string>>, notes: Record<string, string> = {}): Grid {
  const empty = gridFromEntries(MONDAY);
  for (const [day, kinds] of Object.entries(cells)) Object.assign(empty.cells[day], kinds);
  Object.assign(empty.notes, notes);
  return empty;
}

describe("the week's days", () => {
  it("finds the Monday of any day, across months and years", () => {
    expect(mondayOf("2026-03-02")).toBe("2026-03-02");
    expect(mondayOf("2026-03-08")).toBe("2026-03-02"); // a Sunday
    expect(mondayOf("2026-01-01")).toBe("2025-12-29");
    expect(addDays("2026-02-27", 2)).toBe("2026-03-01");
    expect(addDays("2026-03-02", -7)).toBe("2026-02-23");
    expect(weekDays("2025-12-29")).toEqual([
      "2025-12-29",
      "2025-12-30",
      "2025-12-31",
      "2026-01-01",
      "2026-01-02",
      "2026-01-03",
      "2026-01-04",
    ]);
  });

  it("takes today in the person's own calendar", () => {
    expect(today(new Date(2026, 2, 8, 23, 59))).toBe("2026-03-08");
  });
});

describe("a cell's hours", () => {
  it("reads what a person types, in either language", () => {
    expect(readHours("7.5")).toEqual({ hours: "7.50" });
    expect(readHours(" 7,25 ")).toEqual({ hours: "7.25" });
    expect(readHours(".5")).toEqual({ hours: "0.50" });
    expect(readHours("8.000")).toEqual({ hours: "8.00" });
    expect(readHours("")).toEqual({ hours: "" });
    expect(readHours("-0")).toEqual({ hours: "0.00" });
  });

  it("names what is wrong with a cell", () => {
    expect(readHours("eight")).toEqual({ problem: "not_a_number" });
    expect(readHours("1e2")).toEqual({ problem: "not_a_number" });
    expect(readHours("7.5.1")).toEqual({ problem: "not_a_number" });
    expect(readHours("-2")).toEqual({ problem: "negative" });
    expect(readHours("7.125")).toEqual({ problem: "precision" });
  });
});

describe("the grid's totals", () => {
  it("adds per day, per kind and for the week exactly, never through floats", () => {
    const totals = gridTotals(
      grid({
        "2026-03-02": { regular: "0.1", overtime: "0.2" },
        "2026-03-03": { regular: "7.7", sick: "0.3" },
        "2026-03-04": { regular: "8", unpaid_leave: "0,45" },
      }),
    );
    expect(totals.byDay["2026-03-02"]).toBe("0.30"); // 0.1 + 0.2 in binary floats is 0.30000000000000004
    expect(totals.byDay["2026-03-03"]).toBe("8.00");
    expect(totals.byDay["2026-03-04"]).toBe("8.45");
    expect(totals.byDay["2026-03-08"]).toBe("0.00");
    expect(totals.byKind).toEqual({
      regular: "15.80",
      overtime: "0.20",
      holiday: "0.00",
      sick: "0.30",
      unpaid_leave: "0.45",
    });
    expect(totals.week).toBe("16.75");
    expect(isValid(totals)).toBe(true);
  });

  it("leaves cells that are not hours out of the totals and names them", () => {
    const totals = gridTotals(grid({ "2026-03-02": { regular: "8", overtime: "two" } }));
    expect(totals.byDay["2026-03-02"]).toBe("8.00");
    expect(totals.problems).toEqual({ "2026-03-02|overtime": "not_a_number" });
    expect(isValid(totals)).toBe(false);
  });

  it("allows 24 hours in a day and no more", () => {
    expect(gridTotals(grid({ "2026-03-02": { regular: "16", overtime: "8" } })).problems).toEqual({});
    expect(gridTotals(grid({ "2026-03-02": { regular: "16", overtime: "8.01" } })).problems).toEqual({
      "2026-03-02": "too_many",
    });
  });
});

describe("the grid and the timesheet's entries", () => {
  it("adds up entries of the same day and kind, and keeps each day's notes", () => {
    const read = gridFromEntries(MONDAY, [
      { day: "2026-03-02", hours: "4.00", kind: "regular", note: "Client visit" },
      { day: "2026-03-02", hours: "3.50", kind: "regular", note: "Client visit" },
      { day: "2026-03-03", hours: "0.00", kind: "regular", note: "Training day" },
      { day: "2026-03-03", hours: "2.00", kind: "overtime" },
    ]);
    expect(read.cells["2026-03-02"].regular).toBe("7.50");
    expect(read.cells["2026-03-03"]).toEqual({ regular: "", overtime: "2.00", holiday: "", sick: "", unpaid_leave: "" });
    expect(read.notes["2026-03-02"]).toBe("Client visit");
    expect(read.notes["2026-03-03"]).toBe("Training day");
    expect(read.notes["2026-03-04"]).toBe("");
  });

  it("sends one entry per cell with hours, a day's note with its first entry or alone", () => {
    const entries = entriesFromGrid(
      grid(
        { "2026-03-02": { regular: "7,5", overtime: "1", sick: "0" } },
        { "2026-03-02": " Release night ", "2026-03-05": "Off for the dentist" },
      ),
    );
    expect(entries).toEqual([
      { day: "2026-03-02", kind: "regular", hours: "7.50", note: "Release night" },
      { day: "2026-03-02", kind: "overtime", hours: "1.00", note: null },
      { day: "2026-03-05", kind: "regular", hours: "0.00", note: "Off for the dentist" },
    ]);
    // What is sent reads back as the same grid.
    const again = gridFromEntries(MONDAY, entries);
    expect(again.cells["2026-03-02"].regular).toBe("7.50");
    expect(again.notes["2026-03-05"]).toBe("Off for the dentist");
    expect(gridTotals(again).week).toBe("8.50");
  });

  it("refuses to send a grid with a cell that is not hours", () => {
    expect(() => entriesFromGrid(grid({ "2026-03-02": { regular: "x" } }))).toThrow(/not_a_number/);
  });
});
