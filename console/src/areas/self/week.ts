/**
 * The week grid of "my week", without React: days × kinds of hours as the person types them, the totals per day,
 * per kind and for the week (added exactly, as decimal text), and the entries the timesheet API takes.
 */
import { addDecimals } from "../../format";

/** The kinds of hours the timesheet API takes, in the grid's order. */
export const HOUR_KINDS = ["regular", "overtime", "holiday", "sick", "unpaid_leave"] as const;
export type HourKind = (typeof HOUR_KINDS)[number];

/** The most hours in one day (the API refuses more). */
export const MAX_DAY_HOURS = "24.00";

export interface Entry {
  day: string;
  hours: string | number;
  kind?: HourKind | string;
  note?: string | null;
}

/** What the person typed: `cells[day][kind]` is the text of a cell, `notes[day]` the day's note. */
export interface Grid {
  days: string[];
  cells: Record<string, Record<string, string>>;
  notes: Record<string, string>;
}

export type CellProblem = "not_a_number" | "negative" | "precision" | "too_many";

export interface Totals {
  byDay: Record<string, string>;
  byKind: Record<string, string>;
  week: string;
  /** Cells whose text is not hours (`${day}|${kind}`), and days over 24 hours (`${day}`). */
  problems: Record<string, CellProblem>;
}

/** A calendar date (`2026-03-04`) moved by some days, in calendar arithmetic (no time zone). */
export function addDays(day: string, days: number): string {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

/** The Monday of the week a calendar date is in. */
export function mondayOf(day: string): string {
  const [year, month, date] = day.split("-").map(Number);
  const weekday = new Date(Date.UTC(year, month - 1, date)).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** Today in the person's own time zone, as a calendar date. */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function weekDays(weekStart: string): string[] {
  return Array.from({ length: 7 }, (_, index) => addDays(weekStart, index));
}

/**
 * A cell's text as hours in the API's form (`7.5` -> `7.50`; a comma is read as the decimal point, as Spanish
 * writes it), `""` for an empty cell, or the problem with it.
 */
export function readHours(text: string): { hours: string } | { problem: CellProblem } {
  const trimmed = text.trim().replace(",", ".");
  if (trimmed === "") return { hours: "" };
  const digits = trimmed.replace(/^[-+]/, "");
  if (!/^(\d+\.?\d*|\.\d+)$/.test(digits)) return { problem: "not_a_number" };
  if (trimmed.startsWith("-") && /[1-9]/.test(digits)) return { problem: "negative" };
  const [, fraction = ""] = digits.split(".");
  if (fraction.replace(/0+$/, "").length > 2) return { problem: "precision" };
  return { hours: addDecimals([digits]) };
}

/** An empty grid for the week, or the grid of a timesheet's entries (a day's hours of one kind added up). */
export function gridFromEntries(weekStart: string, entries: Entry[] = []): Grid {
  const days = weekDays(weekStart);
  const cells: Grid["cells"] = {};
  const notes: Record<string, string[]> = {};
  for (const day of days) {
    cells[day] = Object.fromEntries(HOUR_KINDS.map((kind) => [kind, ""]));
    notes[day] = [];
  }
  for (const entry of entries) {
    if (!cells[entry.day]) continue; // outside the week: the API never answers one
    const kind = entry.kind ?? "regular";
    const before = cells[entry.day][kind] ?? "";
    const sum = addDecimals([before, entry.hours]);
    cells[entry.day][kind] = sum === "0.00" && before === "" ? "" : sum;
    const note = entry.note?.trim();
    if (note && !notes[entry.day].includes(note)) notes[entry.day].push(note);
  }
  return { days, cells, notes: Object.fromEntries(days.map((day) => [day, notes[day].join("; ")])) };
}

/** The totals per day, per kind and for the week, exact; cells that are not hours count as nothing. */
export function gridTotals(grid: Grid): Totals {
  const problems: Totals["problems"] = {};
  const perKind: Record<string, string[]> = Object.fromEntries(HOUR_KINDS.map((kind) => [kind, []]));
  const byDay: Record<string, string> = {};
  for (const day of grid.days) {
    const dayHours: string[] = [];
    for (const kind of HOUR_KINDS) {
      const read = readHours(grid.cells[day]?.[kind] ?? "");
      if ("problem" in read) problems[`${day}|${kind}`] = read.problem;
      else if (read.hours) {
        dayHours.push(read.hours);
        perKind[kind].push(read.hours);
      }
    }
    byDay[day] = addDecimals(dayHours);
    const beyond = addDecimals([byDay[day], `-${MAX_DAY_HOURS}`]);
    if (!beyond.startsWith("-") && beyond !== "0.00") problems[day] = "too_many";
  }
  const byKind = Object.fromEntries(HOUR_KINDS.map((kind) => [kind, addDecimals(perKind[kind])]));
  return { byDay, byKind, week: addDecimals(Object.values(byDay)), problems };
}

/**
 * The entries to send (`PUT /timesheets/{id}/entries`): one per cell with hours; a day's note goes with its first
 * entry, or with an entry of no regular hours when the day has a note and no hours.
 */
export function entriesFromGrid(grid: Grid): { day: string; kind: HourKind; hours: string; note: string | null }[] {
  const entries: { day: string; kind: HourKind; hours: string; note: string | null }[] = [];
  for (const day of grid.days) {
    const note = grid.notes[day]?.trim() || null;
    let noted = false;
    for (const kind of HOUR_KINDS) {
      const read = readHours(grid.cells[day]?.[kind] ?? "");
      if ("problem" in read) throw new Error(`${day} ${kind}: ${read.problem}`);
      if (!read.hours || read.hours === "0.00") continue;
      entries.push({ day, kind, hours: read.hours, note: noted ? null : note });
      noted = true;
    }
    if (note && !noted) entries.push({ day, kind: "regular", hours: "0.00", note });
  }
  return entries;
}

/** Whether the grid can be saved: every cell is hours and no day has more than 24. */
export function isValid(totals: Totals): boolean {
  return Object.keys(totals.problems).length === 0;
}
