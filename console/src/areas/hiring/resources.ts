import type { ApiPath, ResourceApi } from "../../api/resources";

/**
 * The API behind hiring's, the checklists' and training's resources. Lists under a parent (an opening's
 * applications, a course's sessions) are read with the data provider's `get` and the paths in `HIRING_PATHS`.
 */
export const hiringResources = {
  openings: { list: "/api/hr/openings", item: "/api/hr/openings/{opening_id}" },
  candidates: { list: "/api/hr/candidates", item: "/api/hr/candidates/{candidate_id}", search: "q" },
  applications: { list: "/api/hr/applications", item: "/api/hr/applications/{application_id}" },
  interviews: { list: "/api/hr/interviews", item: "/api/hr/interviews/{interview_id}" },
  checklist_templates: { list: "/api/hr/checklist-templates" },
  late_tasks: { list: "/api/hr/checklist-tasks/late" },
  courses: { list: "/api/hr/courses", item: "/api/hr/courses/{course_id}" },
} satisfies Record<string, ResourceApi>;

/** The routes the screens call beyond the resources' own, typed against the API like the resources. */
export const HIRING_PATHS = {
  stages: "/api/hr/hiring/stages",
  openingApprove: "/api/hr/openings/{opening_id}/approve",
  openingStatus: "/api/hr/openings/{opening_id}/status",
  openingApplications: "/api/hr/openings/{opening_id}/applications",
  applicationStage: "/api/hr/applications/{application_id}/stage",
  applicationReject: "/api/hr/applications/{application_id}/reject",
  applicationWithdraw: "/api/hr/applications/{application_id}/withdraw",
  applicationInterviews: "/api/hr/applications/{application_id}/interviews",
  applicationOffers: "/api/hr/applications/{application_id}/offers",
  interviewFeedback: "/api/hr/interviews/{interview_id}/feedback",
  offerSend: "/api/hr/offers/{offer_id}/send",
  offerAccept: "/api/hr/offers/{offer_id}/accept",
  offerDecline: "/api/hr/offers/{offer_id}/decline",
  templates: "/api/hr/checklist-templates",
  employeeChecklist: "/api/hr/employees/{employee_id}/checklist",
  taskDone: "/api/hr/checklist-tasks/{task_id}/done",
  courseSessions: "/api/hr/courses/{course_id}/sessions",
  courseEnrolments: "/api/hr/courses/{course_id}/enrolments",
  enrolmentAttendance: "/api/hr/enrolments/{enrolment_id}/attendance",
  enrolmentCompletion: "/api/hr/enrolments/{enrolment_id}/completion",
  trainingReport: "/api/hr/training/report",
  trainingRenewals: "/api/hr/training/renewals",
} satisfies Record<string, ApiPath>;
