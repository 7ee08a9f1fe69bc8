/**
 * The pipeline board's rules, without React: which column an application stands in, and which stage a button
 * moves it to next.
 */
import type { Application } from "./common";

export const HIRED = "hired";
export const OFFER = "offer";
/** The column of the applications rejected or withdrawn. */
export const CLOSED = "closed";

/** The stage an application moves to next by a button: none from "offer" (an accepted offer hires) or later. */
export function nextStage(stages: string[], stage: string): string | undefined {
  const index = stages.indexOf(stage);
  const next = index >= 0 ? stages[index + 1] : undefined;
  return next && next !== HIRED && stage !== OFFER ? next : undefined;
}

/** The board's columns in the pipeline's order, each with its applications; the closed ones last. */
export function columns(stages: string[], applications: Application[]): [string, Application[]][] {
  const byColumn = new Map<string, Application[]>(stages.map((stage) => [stage, []]));
  byColumn.set(CLOSED, []);
  for (const application of applications) {
    const closed = application.status === "rejected" || application.status === "withdrawn";
    const column = closed ? CLOSED : application.stage;
    if (!byColumn.has(column)) byColumn.set(column, []); // a stage the pipeline no longer has still shows
    byColumn.get(column)!.push(application);
  }
  const closed = byColumn.get(CLOSED)!;
  byColumn.delete(CLOSED);
  return [...byColumn.entries(), [CLOSED, closed]];
}
