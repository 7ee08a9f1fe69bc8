import type { ApiPath, ResourceApi } from "../../api/resources";

/** The API behind the admin area's resources (names prefixed with the area: `admin_…`). */
export const adminResources = {
  admin_logins: { list: "/auth/users", item: "/auth/users/{user_id}", search: "q" },
} satisfies Record<string, ResourceApi>;

/** The admin area's actions beside its resources. */
export const ADMIN_ACTIONS = {
  login: "/auth/users/{user_id}",
  activationToken: "/auth/users/{user_id}/activation-token",
  health: "/health",
} satisfies Record<string, ApiPath>;

/** Where each part of the suite lists its dead letters: the gateway's own, and each service's through it. */
export const DEAD_LETTERS = {
  gateway: "/admin/dead-letters",
  hr: "/api/hr/admin/dead-letters",
  payroll: "/api/payroll/admin/dead-letters",
  helpdesk: "/api/helpdesk/admin/dead-letters",
  docs: "/api/docs/admin/dead-letters",
} satisfies Record<string, ApiPath>;

/** A dead letter's check and replay, under its service's list path (`<list>/{letter_id}/check`). */
export const DEAD_LETTER_ACTIONS = {
  gateway: { check: "/admin/dead-letters/{letter_id}/check", replay: "/admin/dead-letters/{letter_id}/replay" },
  hr: {
    check: "/api/hr/admin/dead-letters/{letter_id}/check",
    replay: "/api/hr/admin/dead-letters/{letter_id}/replay",
  },
  payroll: {
    check: "/api/payroll/admin/dead-letters/{letter_id}/check",
    replay: "/api/payroll/admin/dead-letters/{letter_id}/replay",
  },
  helpdesk: {
    check: "/api/helpdesk/admin/dead-letters/{letter_id}/check",
    replay: "/api/helpdesk/admin/dead-letters/{letter_id}/replay",
  },
  docs: {
    check: "/api/docs/admin/dead-letters/{letter_id}/check",
    replay: "/api/docs/admin/dead-letters/{letter_id}/replay",
  },
} satisfies Record<keyof typeof DEAD_LETTERS, { check: ApiPath; replay: ApiPath }>;

export type SuitePart = keyof typeof DEAD_LETTERS;
export const SUITE_PARTS = Object.keys(DEAD_LETTERS) as SuitePart[];
