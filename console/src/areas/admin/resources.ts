import type { ResourceApi } from "../../api/resources";

/** The API behind the admin area's resources (names prefixed with the area: `admin_…`). */
export const adminResources = {} satisfies Record<string, ResourceApi>;
