import type { Area } from "../types";

/** The office (office clerks): the switchboard (directory, calls, transfers, messages) and documents. */
export const officeArea: Area = {
  section: "office",
  title: "app.menu.office",
  nav: [],
  routes: [],
  resources: [],
};
