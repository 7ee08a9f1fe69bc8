/**
 * Every call of the console to the API goes through `api()`: the gateway only, with the access token, renewed
 * once when the gateway says it expired; a problem answer becomes a react-admin `HttpError` whose body carries
 * the field errors for the form and the problem itself.
 */
import { ensureAccessToken, refresh } from "./session";
import { fieldErrors, messageOf, readProblem, type Problem } from "./problems";

export type Query = Record<string, string | number | boolean | null | undefined | (string | number)[]>;

export interface CallOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: Query;
  body?: unknown;
  /** A create sends one: retried after a lost answer, the same request creates nothing twice. */
  idempotencyKey?: string;
  /** Answer the raw Response (a download) instead of parsed JSON. */
  raw?: boolean;
  signal?: AbortSignal;
}

/**
 * A problem answer, shaped as react-admin's `HttpError` (`status`, and `body.errors` for the form's fields),
 * without importing react-admin: the sign-in pages load before it.
 */
export class ProblemError extends Error {
  readonly status: number;
  readonly body: { problem: Problem; errors: ReturnType<typeof fieldErrors> };

  constructor(readonly problem: Problem) {
    super(messageOf(problem));
    this.name = "ProblemError";
    this.status = problem.status;
    this.body = { problem, errors: fieldErrors(problem) };
  }
}

export function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((item) => params.append(key, String(item)));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

async function send(path: string, options: CallOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json, application/problem+json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
  return fetch(`${path}${queryString(options.query)}`, {
    method: options.method ?? "GET",
    headers,
    body,
    credentials: "same-origin",
    signal: options.signal,
  });
}

export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  let response: Response;
  try {
    response = await send(path, options, await ensureAccessToken());
    if (response.status === 401 && (await refresh())) response = await send(path, options, await ensureAccessToken());
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ProblemError({ status: 0, detail: "The gateway cannot be reached: check the network and try again." });
  }
  if (!response.ok) throw new ProblemError(await readProblem(response));
  return response;
}

export async function api<T = unknown>(path: string, options: CallOptions = {}): Promise<T> {
  const response = await call(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
