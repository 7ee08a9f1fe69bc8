import type { ApiPath, ResourceApi } from "../../api/resources";

/** The API behind the desk area's resources (names prefixed with the area: `desk_…`). */
export const deskResources = {
  desk_sla_policies: { list: "/api/helpdesk/sla/policies", item: "/api/helpdesk/sla/policies/{policy_id}" },
} satisfies Record<string, ResourceApi>;

/** Change requests: the board reads the list, each step is an action on one change. */
export const CHANGE_PATHS = {
  list: "/api/helpdesk/changes",
  decision: "/api/helpdesk/changes/{change_id}/decision",
  implemented: "/api/helpdesk/changes/{change_id}/implemented",
  review: "/api/helpdesk/changes/{change_id}/review",
} satisfies Record<string, ApiPath>;

/** SLA calendars (created with POST, replaced whole with PUT) and policies (one per priority and category). */
export const SLA_PATHS = {
  calendars: "/api/helpdesk/sla/calendars",
  calendar: "/api/helpdesk/sla/calendars/{calendar_id}",
  policies: "/api/helpdesk/sla/policies",
  policy: "/api/helpdesk/sla/policies/{policy_id}",
} satisfies Record<string, ApiPath>;
