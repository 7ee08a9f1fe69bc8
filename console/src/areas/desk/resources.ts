import type { ApiPath, ResourceApi } from "../../api/resources";
import type { components } from "../../api/schema";
import type { Page } from "../../providers/dataProvider";

/** The API behind the desk area's resources (names prefixed with the area: `desk_…`). */
export const deskResources = {
  desk_tickets: { list: "/api/helpdesk/tickets", item: "/api/helpdesk/tickets/{ticket_id}", search: "q" },
  desk_assets: { list: "/api/helpdesk/assets", item: "/api/helpdesk/assets/{asset_id}", search: "q" },
  desk_sla_policies: { list: "/api/helpdesk/sla/policies", item: "/api/helpdesk/sla/policies/{policy_id}" },
} satisfies Record<string, ResourceApi>;

/** The other routes the ticket screens call (actions and lists that are not a resource). */
export const TICKETS_API = {
  tickets: "/api/helpdesk/tickets",
  ticket: "/api/helpdesk/tickets/{ticket_id}",
  comments: "/api/helpdesk/tickets/{ticket_id}/comments",
  status: "/api/helpdesk/tickets/{ticket_id}/status",
  assignee: "/api/helpdesk/tickets/{ticket_id}/assignee",
  attachments: "/api/helpdesk/tickets/{ticket_id}/attachments",
  history: "/api/helpdesk/tickets/{ticket_id}/history",
  cannedPreview: "/api/helpdesk/tickets/{ticket_id}/canned-responses/{canned_id}",
  canned: "/api/helpdesk/canned-responses",
  agents: "/api/helpdesk/agents",
  teams: "/api/helpdesk/teams",
  person: "/api/helpdesk/directory/{employee_id}",
  assets: "/api/helpdesk/assets",
  docsSearch: "/api/docs/search",
} satisfies Record<string, ApiPath>;

type Schemas = components["schemas"];
export type DeskTicket = Schemas["helpdesk_TicketRead"];
export type SlaRead = Schemas["helpdesk_SlaRead"];
export type SlaClock = Schemas["helpdesk_SlaClockRead"];
export type DeskComment = Schemas["helpdesk_CommentRead"];
export type HistoryEntry = Schemas["helpdesk_HistoryRead"];
export type CannedResponse = Schemas["helpdesk_CannedRead"];
export type CannedPreview = Schemas["helpdesk_CannedPreview"];
export type Agent = Schemas["helpdesk_AgentRead"];
export type Team = Schemas["helpdesk_TeamRead"];
export type Person = Schemas["helpdesk_StaffRead"];
export type Asset = Schemas["helpdesk_AssetRead"];
export type SearchHit = Schemas["docs_SearchHit"];
export type AssetDetail = Schemas["helpdesk_AssetDetail"];
export type StaffPage = Schemas["helpdesk_StaffPage"];
/** Equipment's actions and the directory it picks people from. */
export const DESK_EQUIPMENT_API = {
  assign: "/api/helpdesk/assets/{asset_id}/assign",
  collect: "/api/helpdesk/assets/{asset_id}/return",
  directory: "/api/helpdesk/directory",
  person: "/api/helpdesk/directory/{employee_id}",
} satisfies Record<string, ApiPath>;

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

/** Lists of this area are read as API pages. */
export type { Page };
