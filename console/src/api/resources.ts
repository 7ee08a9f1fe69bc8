/**
 * The API behind each react-admin resource. Paths are checked against the generated description
 * (`schema.d.ts`): a path the API does not have is a type error, so a renamed route breaks the build, not a screen.
 */
import type { paths } from "./schema";
import { AREA_RESOURCES } from "../areas/registry";

export type ApiPath = keyof paths;

export interface ResourceApi {
  /** The collection: `GET` lists (a page), `POST` creates. */
  list: ApiPath;
  /** One record, with its id parameter in braces (`/api/hr/employees/{employee_id}`): `GET`, `PATCH`. */
  item?: ApiPath;
  /** The list parameter that takes a search text, when the API has one. */
  search?: string;
}

/** Every resource of the console, gathered from the areas (src/areas/<area>/resources.ts). */
export const RESOURCES: Record<string, ResourceApi> = AREA_RESOURCES;

export function resourceApi(resource: string): ResourceApi {
  const found = RESOURCES[resource];
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
