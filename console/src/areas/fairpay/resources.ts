import type { ApiPath, ResourceApi } from "../../api/resources";
import type { components } from "../../api/schema";
import type { Page } from "../../providers/dataProvider";

/** The API behind the fair-pay area's resources (names prefixed with the area: `fairpay_…`). */
export const fairpayResources = {
  fairpay_job_categories: { list: "/api/hr/job-categories", item: "/api/hr/job-categories/{category_id}" },
} satisfies Record<string, ResourceApi>;

/** The fair-pay area's actions beside its resources. */
export const FAIRPAY_ACTIONS = {
  categoryPlacements: "/api/hr/job-categories/{category_id}/placements",
  endPlacement: "/api/hr/position-placements/{placement_id}/end",
  positions: "/api/hr/positions",
  payGap: "/api/payroll/pay-gap",
  register: "/api/payroll/pay-register",
  fileRegister: "/api/payroll/pay-register/file",
  justifications: "/api/payroll/pay-gap/justifications",
  assessments: "/api/payroll/pay-gap/assessments",
  assessment: "/api/payroll/pay-gap/assessments/{assessment_id}",
  followUps: "/api/payroll/pay-gap/assessments/{assessment_id}/follow-ups",
  requests: "/api/payroll/pay-information-requests",
  request: "/api/payroll/pay-information-requests/{request_id}",
  documents: "/api/docs/documents",
} satisfies Record<string, ApiPath>;

type Schemas = components["schemas"];
export type PayGapReport = Schemas["payroll_PayGapReport"];
export type Gap = Schemas["payroll_Gap"];
export type Quartile = Schemas["payroll_Quartile"];
export type CategoryGap = Schemas["payroll_CategoryGap"];
export type PayRegister = Schemas["payroll_PayRegister"];
export type RegisterRow = PayRegister["rows"][number];
export type RegisterCell = RegisterRow["cells"][number];
export type RegisterFiled = Schemas["payroll_RegisterFiled"];
export type Assessment = Schemas["payroll_AssessmentRead"];
export type Measure = Assessment["measures"][number];
export type FollowUp = Assessment["follow_ups"][number];
export type InformationRequest = Schemas["payroll_InformationRequestRead"];
export type SexFigures = InformationRequest["answer"]["women"];
export type DocumentRead = Schemas["docs_DocumentRead"];
export type { Page };

/** Who records justifications and joint pay assessments (the API refuses anyone else). */
export const FAIRPAY_WRITERS = ["hr", "admin"];
