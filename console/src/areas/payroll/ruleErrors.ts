import type { Problem } from "../../api/problems";

/**
 * The API's validation errors keyed by where they belong in the editor: `body.rules.2.brackets.brackets.1.percent`
 * (the rule's kind is the union's tag in the path) becomes `rules.2.brackets.1.percent`; an error about a whole rule
 * (`body.rules.2.brackets`) becomes `rules.2`; one about the whole set stays under `""`.
 */
export function ruleSetErrors(problem: Problem, rules: { kind: string }[]): Record<string, string> {
  const result: Record<string, string> = {};
  const add = (key: string, message: string) => {
    result[key] = result[key] ? `${result[key]}; ${message}` : message;
  };
  for (const { field, message } of problem.errors ?? []) {
    const parts = field.split(".");
    if (parts[0] !== "body") {
      add("", `${field}: ${message}`);
      continue;
    }
    const rest = parts.slice(1);
    if (rest[0] === "rules" && rest.length >= 2 && /^\d+$/.test(rest[1])) {
      const index = Number(rest[1]);
      let inner = rest.slice(2);
      if (inner.length && inner[0] === rules[index]?.kind) inner = inner.slice(1);
      add(["rules", String(index), ...inner].join("."), message.replace(/^Value error, /, ""));
    } else {
      add(rest.join("."), message.replace(/^Value error, /, ""));
    }
  }
  if (problem.errors === undefined || problem.errors.length === 0) {
    const slug = problem.type?.split(":").pop();
    add(slug === "rules-overlap" ? "effective_from" : "", problem.detail ?? problem.title ?? String(problem.status));
  }
  return result;
}
