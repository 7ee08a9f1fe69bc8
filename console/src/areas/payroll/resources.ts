import type { ResourceApi } from "../../api/resources";

/** The API behind payroll's resources (names prefixed: other areas may show timesheets or payslips of their own). */
export const payrollResources = {
  payroll_timesheets: { list: "/api/payroll/timesheets", item: "/api/payroll/timesheets/{timesheet_id}" },
  payroll_runs: { list: "/api/payroll/payruns", item: "/api/payroll/payruns/{run_id}" },
  payroll_payslips: { list: "/api/payroll/payslips", item: "/api/payroll/payslips/{payslip_id}" },
  payroll_pay_groups: { list: "/api/payroll/pay-groups" },
  payroll_suppliers: { list: "/api/payroll/suppliers", item: "/api/payroll/suppliers/{supplier_id}", search: "name" },
  payroll_invoices: { list: "/api/payroll/invoices", item: "/api/payroll/invoices/{invoice_id}" },
  payroll_journal: { list: "/api/payroll/journal-entries", item: "/api/payroll/journal-entries/{entry_id}", search: "q" },
  payroll_rule_sets: { list: "/api/payroll/rule-sets", item: "/api/payroll/rule-sets/{rule_set_id}" },
  payroll_payment_runs: { list: "/api/payroll/payment-runs", item: "/api/payroll/payment-runs/{run_id}" },
  payroll_minimum_pay: { list: "/api/payroll/minimum-pay", item: "/api/payroll/minimum-pay/{rule_id}" },
} satisfies Record<string, ResourceApi>;

/** The actions beyond react-admin's methods, checked against the API's description. */
export const PAYROLL_ACTIONS = {
  decisions: "/api/payroll/timesheets/decisions",
  calculate: "/api/payroll/payruns/{run_id}/calculate",
  approve: "/api/payroll/payruns/{run_id}/approve",
  paid: "/api/payroll/payruns/{run_id}/paid",
  cancel: "/api/payroll/payruns/{run_id}/cancel",
  registerCsv: "/api/payroll/payruns/{run_id}/register.csv",
  runChanges: "/api/payroll/payruns/{run_id}/changes",
  runChecks: "/api/payroll/payruns/{run_id}/checks",
  overrides: "/api/payroll/payruns/{run_id}/overrides",
  payItems: "/api/payroll/pay-items",
  cancelPayItem: "/api/payroll/pay-items/{item_id}/cancel",
  approveInvoice: "/api/payroll/invoices/{invoice_id}/approve",
  trialBalance: "/api/payroll/ledger/trial-balance",
  reversal: "/api/payroll/journal-entries/{entry_id}/reversal",
  closedPeriods: "/api/payroll/periods/closed",
  closePeriod: "/api/payroll/periods/{period}/close",
} as const satisfies Record<string, import("../../api/resources").ApiPath>;

/** Accounts payable's actions: invoices held, released, cancelled, scans attached; payment runs. */
export const PAYABLES_ACTIONS = {
  attachToInvoice: "/api/payroll/invoices/{invoice_id}/documents",
  holdInvoice: "/api/payroll/invoices/{invoice_id}/hold",
  releaseInvoice: "/api/payroll/invoices/{invoice_id}/release",
  cancelInvoice: "/api/payroll/invoices/{invoice_id}/cancel",
  approveRun: "/api/payroll/payment-runs/{run_id}/approve",
  executeRun: "/api/payroll/payment-runs/{run_id}/execute",
  cancelRun: "/api/payroll/payment-runs/{run_id}/cancel",
  dropLine: "/api/payroll/payment-runs/{run_id}/lines/{invoice_id}/drop",
  pain001: "/api/payroll/payment-runs/{run_id}/pain.001.xml",
  transfersCsv: "/api/payroll/payment-runs/{run_id}/transfers.csv",
} as const satisfies Record<string, import("../../api/resources").ApiPath>;

/** Unpaid verified hours: the report (and its CSV) and deferring a week to a later run. */
export const UNPAID_ACTIONS = {
  report: "/api/payroll/reports/unpaid-hours",
  reportCsv: "/api/payroll/reports/unpaid-hours.csv",
  defer: "/api/payroll/hours/deferrals",
} as const satisfies Record<string, import("../../api/resources").ApiPath>;
