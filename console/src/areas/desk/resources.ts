import type { ApiPath, ResourceApi } from "../../api/resources";
import type { components } from "../../api/schema";

/** The API behind the desk area's resources (names prefixed with the area: `desk_…`). */
export const deskResources = {
  desk_assets: { list: "/api/helpdesk/assets", item: "/api/helpdesk/assets/{asset_id}", search: "q" },
} satisfies Record<string, ResourceApi>;

/** Equipment's actions and the directory it picks people from. */
export const DESK_EQUIPMENT_API = {
  assign: "/api/helpdesk/assets/{asset_id}/assign",
  collect: "/api/helpdesk/assets/{asset_id}/return",
  directory: "/api/helpdesk/directory",
  person: "/api/helpdesk/directory/{employee_id}",
} satisfies Record<string, ApiPath>;

type Schemas = components["schemas"];
export type AssetDetail = Schemas["helpdesk_AssetDetail"];
export type StaffPage = Schemas["helpdesk_StaffPage"];
