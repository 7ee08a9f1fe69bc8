/**
 * An area of the console: the screens of one kind of work (self-service, HR, payroll, the IT desk, the office),
 * shown to the roles that do it. Each area lives in its own folder under src/areas/ with:
 * - `resources.ts`: the API behind its react-admin resources (no React, so the data provider can import it);
 * - `messages.ts`: its words in English and Spanish (`{ en, es }`, the same keys: a test compares them);
 * - `index.tsx`: its navigation, routes and resources, with its screens loaded lazily (a chunk per area).
 * src/areas/index.ts lists the areas; nothing else needs to change to add one (docs/CONSOLE.md).
 */
import type { ReactElement, ReactNode } from "react";
import type { Section } from "../roles";

export interface NavItem {
  to: string;
  /** A translation key; a resource's name key (`resources.employees.name`) is shown in the plural. */
  label: string;
  icon?: ReactNode;
}

export interface Area {
  section: Section;
  /** The translation key of the navigation group's title. */
  title: string;
  nav: NavItem[];
  /** `<Route>` elements shown inside the layout (custom screens). */
  routes?: ReactElement[];
  /** `<Resource>` elements (lists, shows, edits, creates over a resource of the data provider). */
  resources?: ReactElement[];
}

/** An area's words: the English catalogue and the Spanish one, with the same keys. */
export interface AreaMessages<T extends object = object> {
  en: T;
  es: T;
}

/**
 * An area's words made of parts, each in its own file (`tickets.messages.ts` exporting `{ en, es }`): the keys of
 * part `tickets` of area `desk` are `desk.tickets.…`. Several people can add screens to one area without editing
 * the same catalogue.
 */
export function combineMessages(namespace: string, parts: Record<string, AreaMessages>): AreaMessages {
  const pick = (language: "en" | "es") =>
    ({ [namespace]: Object.fromEntries(Object.entries(parts).map(([name, part]) => [name, part[language]])) }) as object;
  return { en: pick("en"), es: pick("es") };
}
