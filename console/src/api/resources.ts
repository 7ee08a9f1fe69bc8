/**
 * The API behind each react-admin resource. Paths are checked against the generated description
 * (`schema.d.ts`): a path the API does not have is a type error, so a renamed route breaks the build, not a screen.
 */
import type { paths } from "./schema";

export type ApiPath = keyof paths;

export interface ResourceApi {
  /** The collection: `GET` lists (a page), `POST` creates. */
  list: ApiPath;
  /** One record, with its id parameter in braces (`/api/hr/employees/{employee_id}`): `GET`, `PATCH`. */
  item?: ApiPath;
  /** The list parameter that takes a search text, when the API has one. */
  search?: string;
}

export const RESOURCES = {
  employees: { list: "/api/hr/employees", item: "/api/hr/employees/{employee_id}", search: "q" },
  departments: { list: "/api/hr/departments" },
  timesheets: { list: "/api/hr/timesheets", item: "/api/hr/timesheets/{timesheet_id}" },
  warnings: { list: "/api/hr/warnings", item: "/api/hr/warnings/{warning_id}" },
  complaints: { list: "/api/hr/complaints", item: "/api/hr/complaints/{complaint_id}" },
  courses: { list: "/api/hr/courses" },
  openings: { list: "/api/hr/openings", item: "/api/hr/openings/{opening_id}" },
  interviews: { list: "/api/hr/interviews", item: "/api/hr/interviews/{interview_id}" },
  users: { list: "/auth/users", search: "q" },
} satisfies Record<string, ResourceApi>;

export type ResourceName = keyof typeof RESOURCES;

export function resourceApi(resource: string): ResourceApi {
  const found = (RESOURCES as Record<string, ResourceApi>)[resource];
  if (!found) throw new Error(`the console has no API for the resource "${resource}"`);
  return found;
}

/** A path with its parameters filled in: `/api/hr/employees/{employee_id}` + `E1` -> `/api/hr/employees/E1`. */
export function fillPath(path: string, ...values: (string | number)[]): string {
  let index = 0;
  return path.replace(/\{[^}]+\}/g, () => {
    if (index >= values.length) throw new Error(`no value for a parameter of ${path}`);
    return encodeURIComponent(String(values[index++]));
  });
}

export function itemPath(resource: string, id: string | number): string {
  const api = resourceApi(resource);
  return api.item ? fillPath(api.item, id) : `${api.list}/${encodeURIComponent(String(id))}`;
}
