/**
 * The change board's rules, without React: a change request's column (its status), the step a button takes it
 * to next, and whether the signed-in person may decide on it.
 */

export type ChangeStatus = "requested" | "approved" | "rejected" | "implemented" | "reviewed";

/** The board's columns, in the order a change moves through them; the rejected ones last. */
export const CHANGE_COLUMNS: ChangeStatus[] = ["requested", "approved", "implemented", "reviewed", "rejected"];

export interface BoardChange {
  id: string;
  status: ChangeStatus;
  planned_start: string;
  requested_by: string;
}

/** Each column with its changes, soonest window first (as the API lists them). */
export function changeColumns<T extends BoardChange>(changes: T[]): [ChangeStatus, T[]][] {
  const byColumn = new Map<ChangeStatus, T[]>(CHANGE_COLUMNS.map((status) => [status, []]));
  for (const change of changes) byColumn.get(change.status)?.push(change);
  for (const items of byColumn.values()) items.sort((a, b) => a.planned_start.localeCompare(b.planned_start));
  return [...byColumn.entries()];
}

/** What a button does next to a change in this status: decide, record the implementation, review; none after. */
export function nextAction(status: ChangeStatus): "decide" | "implemented" | "review" | undefined {
  return ({ requested: "decide", approved: "implemented", implemented: "review" } as const)[
    status as "requested" | "approved" | "implemented"
  ];
}

/** Whether the person (a login id) asked for the change: then someone else must approve or reject it. */
export function isOwnChange(change: BoardChange, userId: string | number | undefined): boolean {
  return userId !== undefined && String(userId) === change.requested_by;
}
