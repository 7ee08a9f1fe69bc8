import type { ApiPath, ResourceApi } from "../../api/resources";

/** The API behind the fair-pay area's resources (names prefixed with the area: `fairpay_…`). */
export const fairpayResources = {
  fairpay_job_categories: { list: "/api/hr/job-categories", item: "/api/hr/job-categories/{category_id}" },
} satisfies Record<string, ResourceApi>;

/** The fair-pay area's actions beside its resources. */
export const FAIRPAY_ACTIONS = {
  categoryPlacements: "/api/hr/job-categories/{category_id}/placements",
  endPlacement: "/api/hr/position-placements/{placement_id}/end",
  positions: "/api/hr/positions",
} satisfies Record<string, ApiPath>;
