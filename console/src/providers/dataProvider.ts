/**
 * react-admin's data provider for the suite's API conventions (docs/API.md):
 * - lists are pages `{items, total, limit, offset}` asked with `limit`/`offset`; filters are query parameters;
 * - a create sends an `Idempotency-Key`, so a retry after a lost answer never creates twice;
 * - an update is a `PATCH` with only the fields that changed (a field left out keeps its value);
 * - an error is a problem+json, shown as a notification with each field's error beside its field.
 * Beyond react-admin's methods, `get`, `post` and `put` call any other route of the API (actions such as
 * submitting a week or acknowledging a warning).
 */
import type { DataProvider, Identifier, RaRecord } from "react-admin";
import { api, newIdempotencyKey, type Query } from "../api/http";
import { itemPath, resourceApi } from "../api/resources";

/** A page of a list as every service's API answers it. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** The list parameters for react-admin's page and filter: its `q` is the resource's own search parameter. */
export function listQuery(
  resource: string,
  pagination: { page: number; perPage: number } | undefined,
  filter: Record<string, unknown>,
): Query {
  const page = pagination ?? { page: 1, perPage: 50 };
  const search = resourceApi(resource).search ?? "q";
  const query: Query = { limit: page.perPage, offset: (page.page - 1) * page.perPage };
  for (const [key, value] of Object.entries(filter)) {
    const name = key === "q" ? search : key;
    if (value === undefined || value === null || value === "") continue;
    query[name] = Array.isArray(value) ? value.map(String) : (value as string | number | boolean);
  }
  return query;
}

/** Only what the form changed: the API's PATCH keeps what is left out. */
export function changes(data: Record<string, unknown>, previous: Record<string, unknown> | undefined) {
  if (!previous) return data;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (JSON.stringify(value) !== JSON.stringify(previous[key])) result[key] = value;
  }
  return result;
}

export interface ConsoleDataProvider extends DataProvider {
  get<T = unknown>(path: string, query?: Query): Promise<T>;
  post<T = unknown>(path: string, body?: unknown, options?: { idempotent?: boolean }): Promise<T>;
  put<T = unknown>(path: string, body?: unknown): Promise<T>;
}

export const dataProvider: ConsoleDataProvider = {
  async getList(resource, params) {
    const page = await api<Page<RaRecord>>(resourceApi(resource).list, {
      query: listQuery(resource, params.pagination, params.filter ?? {}),
      signal: params.signal,
    });
    return { data: page.items as never[], total: page.total };
  },
  async getOne(resource, params) {
    const data = await api<RaRecord>(itemPath(resource, params.id), { signal: params.signal });
    return { data: data as never };
  },
  async getMany(resource, params) {
    const data = await Promise.all(params.ids.map((id: Identifier) => api<RaRecord>(itemPath(resource, id))));
    return { data: data as never[] };
  },
  async getManyReference(resource, params) {
    const page = await api<Page<RaRecord>>(resourceApi(resource).list, {
      query: listQuery(resource, params.pagination, { ...params.filter, [params.target]: params.id }),
      signal: params.signal,
    });
    return { data: page.items as never[], total: page.total };
  },
  async create(resource, params) {
    const data = await api<RaRecord>(resourceApi(resource).list, {
      method: "POST",
      body: params.data,
      idempotencyKey: newIdempotencyKey(),
    });
    return { data } as never;
  },
  async update(resource, params) {
    const data = await api<RaRecord>(itemPath(resource, params.id), {
      method: "PATCH",
      body: changes(params.data, params.previousData),
    });
    return { data } as never;
  },
  async updateMany() {
    throw new Error("the API changes records one at a time");
  },
  async delete(resource, params) {
    await api(itemPath(resource, params.id), { method: "DELETE" });
    return { data: params.previousData } as never;
  },
  async deleteMany() {
    throw new Error("the API deletes records one at a time");
  },
  get(path, query) {
    return api(path, { query });
  },
  post(path, body, options) {
    return api(path, {
      method: "POST",
      body,
      idempotencyKey: options?.idempotent === false ? undefined : newIdempotencyKey(),
    });
  },
  put(path, body) {
    return api(path, { method: "PUT", body });
  },
};
