/**
 * The API's errors (RFC 9457 `application/problem+json`) turned into what react-admin shows: a notification
 * with the problem's `detail`, and each field error beside its field in the open form.
 */

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  request_id?: string;
  upstream?: string;
  errors?: FieldError[];
}

type Nested = { [key: string]: string | Nested | Nested[] };

/** The problem's slug: `urn:backoffice:problem:wrong-credentials` -> `wrong-credentials`. */
export function slugOf(problem: Problem): string | undefined {
  return problem.type?.split(":").pop();
}

/**
 * Field errors as a form's values are shaped: `body.lines.0.amount` -> `{lines: {0: {amount: "..."}}}`.
 * Errors of the query or the path are not a form field's: they stay in the notification.
 */
export function fieldErrors(problem: Problem): Nested {
  const result: Nested = {};
  for (const { field, message } of problem.errors ?? []) {
    const parts = field.split(".");
    if (parts[0] !== "body" || parts.length < 2) continue;
    let node: Nested = result;
    parts.slice(1, -1).forEach((part) => {
      const next = node[part];
      if (typeof next !== "object" || next === null || Array.isArray(next)) node[part] = {};
      node = node[part] as Nested;
    });
    const leaf = parts[parts.length - 1];
    if (node[leaf] === undefined) node[leaf] = message;
  }
  return result;
}

/** The errors of a flat form's own fields (`body.password` -> `{password: "..."}`), for forms outside react-admin. */
export function formFieldErrors(problem: Problem): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors(problem))) {
    if (typeof message === "string") flat[field] = message;
  }
  return flat;
}

const SERVICE_NAMES: Record<string, string> = {
  hr: "HR",
  payroll: "payroll",
  helpdesk: "IT desk",
  docs: "documents",
};

type Translate = (key: string, values?: Record<string, string>) => string;

/** English until the console registers its translator (the sign-in pages load before the catalogues). */
let translate: Translate | null = null;

export function setTranslator(translator: Translate): void {
  translate = translator;
}

/** The sentence for a part of the suite that is down, in the chosen language once the console has started. */
function unavailable(upstream: string): string {
  if (translate) {
    const part = translate(`app.parts.${upstream}`, { _: upstream });
    return translate("app.states.unavailable", { part });
  }
  const part = SERVICE_NAMES[upstream] ?? upstream;
  return `The ${part} service is unavailable right now; the rest of the console still works.`;
}

/** What to tell the person: the detail, the unavailable part of the suite for a 502/503/504. */
export function messageOf(problem: Problem): string {
  if ([502, 503, 504].includes(problem.status) && problem.upstream) {
    return `${unavailable(problem.upstream)} (${problem.status}: ${problem.detail ?? ""})`;
  }
  const fields = (problem.errors ?? [])
    .filter((error) => !error.field.startsWith("body."))
    .map((error) => `${error.field}: ${error.message}`);
  return [problem.detail ?? problem.title ?? `Error ${problem.status}`, ...fields].join(" — ");
}

export async function readProblem(response: Response): Promise<Problem> {
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("json")) {
    try {
      const body = await response.json();
      if (body && typeof body === "object") return { ...body, status: body.status ?? response.status };
    } catch {
      // fall through
    }
  }
  return { status: response.status, detail: response.statusText || `HTTP ${response.status}` };
}
