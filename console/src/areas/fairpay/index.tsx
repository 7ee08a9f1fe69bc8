import type { Area } from "../types";

/**
 * Fair pay (HR, payroll, pay auditors, admins): the pay gap report, the pay register, justifications and joint
 * pay assessments. Each screen set adds its menu entries, routes and resources here.
 */
export const fairpayArea: Area = {
  section: "fairpay",
  title: "app.menu.fairpay",
  nav: [],
  routes: [],
  resources: [],
};
