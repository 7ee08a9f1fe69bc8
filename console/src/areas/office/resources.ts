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

/** The documents screens' routes (docs-svc through the gateway). */
export const DOCS_API = {
  folders: "/api/docs/folders",
  documents: "/api/docs/documents",
  document: "/api/docs/documents/{document_id}",
  search: "/api/docs/search",
  versions: "/api/docs/documents/{document_id}/versions",
  content: "/api/docs/documents/{document_id}/content",
  copy: "/api/docs/documents/{document_id}/copy",
  trash: "/api/docs/documents/{document_id}/trash",
  restore: "/api/docs/documents/{document_id}/restore",
  legalHold: "/api/docs/documents/{document_id}/legal-hold",
  access: "/api/docs/documents/{document_id}/access",
  audit: "/api/docs/documents/{document_id}/audit",
  deliveries: "/api/docs/documents/{document_id}/deliveries",
} satisfies Record<string, ApiPath>;

type Schemas = components["schemas"];
export type Folder = Schemas["docs_FolderRead"];
export type DocumentRead = Schemas["docs_DocumentRead"];
export type DocumentVersion = Schemas["docs_VersionRead"];
export type SearchHit = Schemas["docs_SearchHit"];
export type Highlight = Schemas["docs_Highlight"];
export type DocumentAccess = Schemas["docs_AccessRead"];
export type AuditEntry = Schemas["docs_AuditRead"];
export type Delivery = Schemas["docs_DeliveryRead"];
export type Call = Schemas["helpdesk_CallRead"];
export type CallMessage = Schemas["helpdesk_MessageRead"];
export type SwitchboardReport = Schemas["helpdesk_SwitchboardReport"];
