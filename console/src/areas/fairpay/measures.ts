/** How the measures of a joint pay assessment go, from its follow-ups (appended, never edited). */
export const STATUSES = ["planned", "in_progress", "done"] as const;
export type Status = (typeof STATUSES)[number];

interface FollowUpLike {
  measure_index?: number | null;
  status: string;
  created_at: string;
}

/** A measure's state: its latest follow-up's (one naming no measure counts for every measure); planned before any. */
export function measureStatus(followUps: readonly FollowUpLike[], index: number): Status {
  const latest = [...followUps]
    .filter((f) => f.measure_index === null || f.measure_index === undefined || f.measure_index === index)
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at))
    .at(-1);
  return (latest?.status as Status | undefined) ?? "planned";
}
