import type { ApiPath, ResourceApi } from "../../api/resources";
import type { components } from "../../api/schema";
import type { Page } from "../../providers/dataProvider";

/**
 * The API behind self-service's resources. Their names start with `my_`: the same API serves HR's and the IT
 * desk's screens under their own resource names, with other filters.
 */
export const selfResources = {
  my_payslips: { list: "/api/payroll/payslips", item: "/api/payroll/payslips/{payslip_id}" },
  my_warnings: { list: "/api/hr/warnings", item: "/api/hr/warnings/{warning_id}" },
  my_complaints: { list: "/api/hr/complaints", item: "/api/hr/complaints/{complaint_id}" },
  my_tickets: { list: "/api/helpdesk/tickets", item: "/api/helpdesk/tickets/{ticket_id}", search: "q" },
  my_equipment: { list: "/api/helpdesk/assets", item: "/api/helpdesk/assets/{asset_id}" },
} satisfies Record<string, ResourceApi>;

/** The other routes self-service calls (actions and lists that are not a resource). */
export const SELF_API = {
  timesheets: "/api/hr/timesheets",
  timesheetEntries: "/api/hr/timesheets/{timesheet_id}/entries",
  timesheetSubmit: "/api/hr/timesheets/{timesheet_id}/submit",
  timesheetCorrection: "/api/hr/timesheets/{timesheet_id}/correction",
  payrollTimesheet: "/api/payroll/timesheets/{timesheet_id}",
  acknowledgement: "/api/hr/warnings/{warning_id}/acknowledgement",
  ticketComments: "/api/helpdesk/tickets/{ticket_id}/comments",
  documents: "/api/docs/documents",
  document: "/api/docs/documents/{document_id}",
  documentContent: "/api/docs/documents/{document_id}/content",
  directory: "/api/helpdesk/directory",
  training: "/api/hr/employees/{employee_id}/training",
  callMessages: "/api/helpdesk/messages",
  callMessageRead: "/api/helpdesk/messages/{message_id}/read",
  calls: "/api/helpdesk/calls",
  availability: "/api/helpdesk/directory/{employee_id}/availability",
  staffMember: "/api/helpdesk/directory/{employee_id}",
} satisfies Record<string, ApiPath>;

type Schemas = components["schemas"];
export type Timesheet = Schemas["hr_TimesheetRead"];
export type PayrollTimesheet = Schemas["payroll_TimesheetRead"];
export type Payslip = Schemas["payroll_PayslipRead"];
export type PayslipLine = Schemas["payroll_PayslipLine"];
export type Warning = Schemas["hr_WarningRead"];
export type Complaint = Schemas["hr_ComplaintRead"];
export type Ticket = Schemas["helpdesk_TicketRead"];
export type TicketComment = Schemas["helpdesk_CommentRead"];
export type Asset = Schemas["helpdesk_AssetRead"];
export type Enrolment = Schemas["hr_EnrolmentRead"];
export type Staff = Schemas["helpdesk_StaffRead"];
export type DocumentRead = Schemas["docs_DocumentRead"];
export type CallMessage = Schemas["helpdesk_MessageRead"];
export type Call = Schemas["helpdesk_CallRead"];

/** A page of a list, as every list of the API answers. */

/** Lists of this area are read as API pages. */
export type { Page };
