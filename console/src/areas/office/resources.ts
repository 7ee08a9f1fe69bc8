import type { ResourceApi } from "../../api/resources";

/** The API behind the office area's resources (names prefixed with the area: `office_…`). */
export const officeResources = {} satisfies Record<string, ResourceApi>;
