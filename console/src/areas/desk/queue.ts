/**
 * The queue's views and filters as the API's query (`GET /api/helpdesk/tickets`, most urgent first, a page at a
 * time), and the views an agent saved (kept in this browser, per person). No React: tested in queue.test.ts.
 */
import type { Query } from "../../api/http";

export const VIEWS = ["mine", "team", "unassigned", "open"] as const;
export type View = (typeof VIEWS)[number];
export const OPEN_STATUSES = ["new", "open", "pending", "on_hold"] as const;
export const STATUSES = [...OPEN_STATUSES, "resolved", "closed"] as const;
export const PRIORITIES = ["urgent", "high", "normal", "low"] as const;
export const CATEGORIES = ["hardware", "software", "network", "email", "access", "phone", "other"] as const;
export const PAGE_SIZE = 50;

export interface QueueQuery {
  view: View;
  /** One status, or empty for every open one. */
  status: string;
  priority: string;
  category: string;
  team: string;
}

export const DEFAULT_QUERY: QueueQuery = { view: "mine", status: "", priority: "", category: "", team: "" };

/** The API's parameters for a view, its filters and a page (0-based). */
export function queueParams(query: QueueQuery, page: number): Query {
  const params: Query = {
    order: "urgency",
    limit: PAGE_SIZE,
    offset: page * PAGE_SIZE,
    status: query.status ? [query.status] : [...OPEN_STATUSES],
  };
  if (query.view === "mine") params.assigned_to_me = true;
  if (query.view === "team") params.my_teams = true;
  if (query.view === "unassigned") params.unassigned = true;
  if (query.priority) params.priority = query.priority;
  if (query.category) params.category = query.category;
  if (query.team) params.team_id = query.team;
  return params;
}

export interface SavedView {
  name: string;
  query: QueueQuery;
}

/** The views saved under `key`; nothing for what cannot be read (another version, a hand edit). */
export function readSavedViews(storage: Pick<Storage, "getItem">, key: string): SavedView[] {
  try {
    const value: unknown = JSON.parse(storage.getItem(key) ?? "[]");
    if (!Array.isArray(value)) return [];
    return value
      .filter((v): v is SavedView => typeof v?.name === "string" && typeof v?.query === "object" && v.query !== null)
      .map((v) => ({ name: v.name, query: { ...DEFAULT_QUERY, ...v.query } }))
      .filter((v) => (VIEWS as readonly string[]).includes(v.query.view));
  } catch {
    return [];
  }
}

/** The saved views with `view` added (replacing one of the same name). */
export function withView(views: SavedView[], view: SavedView): SavedView[] {
  return [...views.filter((v) => v.name !== view.name), view].sort((a, b) => a.name.localeCompare(b.name));
}

/** The index the keyboard moves to: j/↓ the next row, k/↑ the previous, within `count` rows. */
export function moveSelection(key: string, index: number, count: number): number | null {
  if (count === 0) return null;
  if (key === "ArrowDown" || key === "j") return Math.min(index + 1, count - 1);
  if (key === "ArrowUp" || key === "k") return Math.max(index - 1, 0);
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return null;
}
