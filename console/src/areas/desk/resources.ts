import type { ResourceApi } from "../../api/resources";

/** The API behind the desk area's resources (names prefixed with the area: `desk_…`). */
export const deskResources = {} satisfies Record<string, ResourceApi>;
