/** What each part of the console needs: a person sees a section when they hold one of its roles. */
export type Role = "employee" | "manager" | "hr" | "payroll" | "it_agent" | "office" | "pay_auditor" | "admin";

export const SECTION_ROLES = {
  self: ["employee", "manager", "hr", "payroll", "it_agent", "office", "pay_auditor", "admin"],
  hr: ["hr", "admin"],
  manager: ["manager", "hr", "admin"],
  payroll: ["payroll", "admin"],
  desk: ["it_agent", "admin"],
  office: ["office", "admin"],
  fairpay: ["hr", "payroll", "pay_auditor", "admin"],
  admin: ["admin"],
} satisfies Record<string, Role[]>;

export type Section = keyof typeof SECTION_ROLES;

export function mayUse(section: Section, roles: readonly string[] | undefined): boolean {
  return (SECTION_ROLES[section] as readonly string[]).some((role) => roles?.includes(role));
}
