import type { ResourceApi } from "../../api/resources";

/** The API behind a manager's resources: the same routes as HR's, answering with what a manager may see. */
export const managerResources = {
  team: { list: "/api/hr/employees", item: "/api/hr/employees/{employee_id}", search: "q" },
  team_warnings: { list: "/api/hr/warnings", item: "/api/hr/warnings/{warning_id}" },
} satisfies Record<string, ResourceApi>;
