/**
 * The switchboard's directory search, without React: the whole directory is in the browser, so each keystroke
 * filters it at once (no request) by part of a name, department, position or e-mail, or an extension's first
 * digits, the people whose name starts with the text first.
 */
import type { components } from "../../api/schema";

export type Staff = components["schemas"]["helpdesk_StaffBrief"];

/** A person with the text searched in, lower-cased once when the directory arrives. */
export interface Entry {
  person: Staff;
  name: string;
  words: string;
}

function fold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
}

export function indexDirectory(people: Staff[]): Entry[] {
  return people.map((person) => ({
    person,
    name: fold(person.name),
    words: fold([person.name, person.department ?? "", person.position ?? "", person.email].join(" | ")),
  }));
}

/** The people matching `text`, in directory order, those whose name (or a word of it) starts with it first. */
export function searchDirectory(entries: Entry[], text: string): Staff[] {
  const needle = fold(text.trim());
  if (!needle) return entries.map((e) => e.person);
  const digits = /^\d+$/.test(needle);
  const first: Staff[] = [];
  const rest: Staff[] = [];
  for (const entry of entries) {
    if (digits && entry.person.extension?.startsWith(needle)) first.push(entry.person);
    else if (entry.name.startsWith(needle) || entry.name.includes(` ${needle}`)) first.push(entry.person);
    else if (entry.words.includes(needle)) rest.push(entry.person);
  }
  return first.concat(rest);
}

/** Unread messages per person, from the list of unread messages. */
export function waitingFor(messages: { for_employee_id: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.for_employee_id, (counts.get(m.for_employee_id) ?? 0) + 1);
  return counts;
}
