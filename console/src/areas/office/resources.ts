import type { ApiPath, ResourceApi } from "../../api/resources";
import type { components } from "../../api/schema";

/** The API behind the office area's resources (names prefixed with the area: `office_…`). */
export const officeResources = {} satisfies Record<string, ResourceApi>;

/** The switchboard's routes (a custom screen, not react-admin resources). */
export const SWITCHBOARD_API = {
  directory: "/api/helpdesk/directory/everyone",
  availability: "/api/helpdesk/directory/{employee_id}/availability",
  calls: "/api/helpdesk/calls",
  call: "/api/helpdesk/calls/{call_id}",
  transfers: "/api/helpdesk/calls/{call_id}/transfers",
  message: "/api/helpdesk/calls/{call_id}/message",
  end: "/api/helpdesk/calls/{call_id}/end",
  messages: "/api/helpdesk/messages",
  report: "/api/helpdesk/switchboard/report",
} satisfies Record<string, ApiPath>;

type Schemas = components["schemas"];
export type Call = Schemas["helpdesk_CallRead"];
export type CallMessage = Schemas["helpdesk_MessageRead"];
export type SwitchboardReport = Schemas["helpdesk_SwitchboardReport"];
