import type { ResourceApi } from "../../api/resources";

/** The API behind HR's resources. */
export const hrResources = {
  employees: { list: "/api/hr/employees", item: "/api/hr/employees/{employee_id}", search: "q" },
  departments: { list: "/api/hr/departments" },
  users: { list: "/auth/users", search: "q" },
} satisfies Record<string, ResourceApi>;
