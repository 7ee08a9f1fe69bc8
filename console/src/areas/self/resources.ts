import type { ResourceApi } from "../../api/resources";

/** The API behind self-service's resources. */
export const selfResources = {} satisfies Record<string, ResourceApi>;
