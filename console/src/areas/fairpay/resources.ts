import type { ApiPath, ResourceApi } from "../../api/resources";

/** The API behind the fair-pay area's resources (names prefixed with the area: `fairpay_…`). */
export const fairpayResources = {} satisfies Record<string, ResourceApi>;

/** The fair-pay area's actions beside its resources. */
export const FAIRPAY_ACTIONS = {} satisfies Record<string, ApiPath>;
