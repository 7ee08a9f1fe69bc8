import type { ApiPath, ResourceApi } from "../../api/resources";

/** The API behind HR's resources. */
export const hrResources = {
  employees: { list: "/api/hr/employees", item: "/api/hr/employees/{employee_id}", search: "q" },
  departments: { list: "/api/hr/departments" },
  users: { list: "/auth/users", search: "q" },
  hr_cases: { list: "/api/hr/cases" },
  hr_warnings: { list: "/api/hr/warnings", item: "/api/hr/warnings/{warning_id}" },
  hr_complaints: { list: "/api/hr/complaints", item: "/api/hr/complaints/{complaint_id}" },
  hr_timesheets: { list: "/api/hr/timesheets", item: "/api/hr/timesheets/{timesheet_id}" },
  hr_documents: { list: "/api/docs/documents", item: "/api/docs/documents/{document_id}" },
} satisfies Record<string, ResourceApi>;

/** Routes of HR's actions (typed against the API: a renamed route is a type error). */
export const HR_ACTIONS = {
  warnings: "/api/hr/warnings",
  case: "/api/hr/cases/{employee_id}",
  decision: "/api/hr/cases/{employee_id}/decision",
  payTerms: "/api/hr/employees/{employee_id}/pay-terms",
  termination: "/api/hr/employees/{employee_id}/termination",
  investigator: "/api/hr/complaints/{complaint_id}/investigator",
  notes: "/api/hr/complaints/{complaint_id}/notes",
  closing: "/api/hr/complaints/{complaint_id}/closing",
  activationToken: "/auth/users/{user_id}/activation-token",
  documentContent: "/api/docs/documents/{document_id}/content",
} satisfies Record<string, ApiPath>;
