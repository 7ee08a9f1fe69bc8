import type { Area } from "../types";

/** Administration (admins): logins and their roles, dead letters of each service, the health of the suite. */
export const adminArea: Area = {
  section: "admin",
  title: "app.menu.admin",
  nav: [],
  routes: [],
  resources: [],
};
