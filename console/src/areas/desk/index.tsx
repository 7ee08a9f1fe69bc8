import type { Area } from "../types";

/** The IT desk (IT agents): the ticket queue and tickets, equipment, change requests, SLA calendars and policies. */
export const deskArea: Area = {
  section: "desk",
  title: "app.menu.it",
  nav: [],
  routes: [],
  resources: [],
};
