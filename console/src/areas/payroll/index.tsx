import { lazy } from "react";
import { Resource } from "react-admin";
import FactCheckIcon from "@mui/icons-material/FactCheck";
import PaymentsIcon from "@mui/icons-material/Payments";
import StoreIcon from "@mui/icons-material/Store";
import ReceiptIcon from "@mui/icons-material/Receipt";
import MenuBookIcon from "@mui/icons-material/MenuBook";
import BalanceIcon from "@mui/icons-material/Balance";
import InsightsIcon from "@mui/icons-material/Insights";
import EventBusyIcon from "@mui/icons-material/EventBusy";
import RuleIcon from "@mui/icons-material/Rule";
import HourglassBottomIcon from "@mui/icons-material/HourglassBottom";
import GavelIcon from "@mui/icons-material/Gavel";
import AccountBalanceIcon from "@mui/icons-material/AccountBalance";
import { Route } from "react-router-dom";
import type { Area } from "../types";

const HoursList = lazy(() => import("./hours").then((m) => ({ default: m.HoursList })));
const PayRunList = lazy(() => import("./payruns").then((m) => ({ default: m.PayRunList })));
const PayRunCreate = lazy(() => import("./payruns").then((m) => ({ default: m.PayRunCreate })));
const PayRunShow = lazy(() => import("./payruns").then((m) => ({ default: m.PayRunShow })));
const SupplierList = lazy(() => import("./suppliers").then((m) => ({ default: m.SupplierList })));
const SupplierCreate = lazy(() => import("./suppliers").then((m) => ({ default: m.SupplierCreate })));
const SupplierShow = lazy(() => import("./suppliers").then((m) => ({ default: m.SupplierShow })));
const InvoiceList = lazy(() => import("./suppliers").then((m) => ({ default: m.InvoiceList })));
const InvoiceCreate = lazy(() => import("./suppliers").then((m) => ({ default: m.InvoiceCreate })));
const InvoiceShow = lazy(() => import("./suppliers").then((m) => ({ default: m.InvoiceShow })));
const PaymentRunList = lazy(() => import("./payments").then((m) => ({ default: m.PaymentRunList })));
const PaymentRunCreate = lazy(() => import("./payments").then((m) => ({ default: m.PaymentRunCreate })));
const PaymentRunShow = lazy(() => import("./payments").then((m) => ({ default: m.PaymentRunShow })));
const JournalList = lazy(() => import("./ledger").then((m) => ({ default: m.JournalList })));
const JournalShow = lazy(() => import("./ledger").then((m) => ({ default: m.JournalShow })));
const TrialBalancePage = lazy(() => import("./ledger").then((m) => ({ default: m.TrialBalancePage })));
const Dashboard = lazy(() => import("./dashboard").then((m) => ({ default: m.Dashboard })));
const RuleSetList = lazy(() => import("./rules").then((m) => ({ default: m.RuleSetList })));
const RuleSetShow = lazy(() => import("./rules").then((m) => ({ default: m.RuleSetShow })));
const RuleSetCreatePage = lazy(() => import("./rules").then((m) => ({ default: m.RuleSetCreatePage })));
const ClosedPeriodsPage = lazy(() => import("./ledger").then((m) => ({ default: m.ClosedPeriodsPage })));
const UnpaidHoursPage = lazy(() => import("./unpaidhours").then((m) => ({ default: m.UnpaidHoursPage })));
const MinimumPayList = lazy(() => import("./minimum").then((m) => ({ default: m.MinimumPayList })));
const MinimumPayCreate = lazy(() => import("./minimum").then((m) => ({ default: m.MinimumPayCreate })));
const PayslipShow = lazy(() => import("./payslips").then((m) => ({ default: m.PayslipShow })));

/** Payroll and accounting: verifying hours, running pay, suppliers and their invoices, the ledger. */
export const payrollArea: Area = {
  section: "payroll",
  title: "app.menu.payroll",
  nav: [
    { to: "/payroll/dashboard", label: "payroll.dashboard.menu", icon: <InsightsIcon /> },
    { to: "/payroll_timesheets", label: "payroll.menu.hours", icon: <FactCheckIcon /> },
    { to: "/payroll/unpaid-hours", label: "payroll.unpaid.menu", icon: <HourglassBottomIcon /> },
    { to: "/payroll_runs", label: "payroll.menu.runs", icon: <PaymentsIcon /> },
    { to: "/payroll_suppliers", label: "payroll.menu.suppliers", icon: <StoreIcon /> },
    { to: "/payroll_invoices", label: "payroll.menu.invoices", icon: <ReceiptIcon /> },
    { to: "/payroll_payment_runs", label: "payroll.payments.menu", icon: <AccountBalanceIcon /> },
    { to: "/payroll_journal", label: "payroll.menu.journal", icon: <MenuBookIcon /> },
    { to: "/payroll/trial-balance", label: "payroll.menu.trial_balance", icon: <BalanceIcon /> },
    { to: "/payroll/periods", label: "payroll.ledger_more.menu_periods", icon: <EventBusyIcon /> },
    { to: "/payroll_rule_sets", label: "payroll.rules.menu", icon: <RuleIcon /> },
    { to: "/payroll_minimum_pay", label: "resources.payroll_minimum_pay.name", icon: <GavelIcon /> },
  ],
  routes: [
    <Route key="trial-balance" path="/payroll/trial-balance" element={<TrialBalancePage />} />,
    <Route key="periods" path="/payroll/periods" element={<ClosedPeriodsPage />} />,
    <Route key="dashboard" path="/payroll/dashboard" element={<Dashboard />} />,
    <Route key="unpaid-hours" path="/payroll/unpaid-hours" element={<UnpaidHoursPage />} />,
  ],
  resources: [
    <Resource key="payroll_timesheets" name="payroll_timesheets" list={HoursList} />,
    <Resource key="payroll_runs" name="payroll_runs" list={PayRunList} create={PayRunCreate} show={PayRunShow} />,
    <Resource key="payroll_payslips" name="payroll_payslips" show={PayslipShow} />,
    <Resource key="payroll_pay_groups" name="payroll_pay_groups" />,
    <Resource
      key="payroll_suppliers"
      name="payroll_suppliers"
      list={SupplierList}
      create={SupplierCreate}
      show={SupplierShow}
      recordRepresentation="name"
    />,
    <Resource key="payroll_invoices" name="payroll_invoices" list={InvoiceList} create={InvoiceCreate} show={InvoiceShow} />,
    <Resource
      key="payroll_payment_runs"
      name="payroll_payment_runs"
      list={PaymentRunList}
      create={PaymentRunCreate}
      show={PaymentRunShow}
    />,
    <Resource key="payroll_journal" name="payroll_journal" list={JournalList} show={JournalShow} />,
    <Resource
      key="payroll_rule_sets"
      name="payroll_rule_sets"
      list={RuleSetList}
      show={RuleSetShow}
      create={RuleSetCreatePage}
    />,
    <Resource key="payroll_minimum_pay" name="payroll_minimum_pay" list={MinimumPayList} create={MinimumPayCreate} />,
  ],
};
