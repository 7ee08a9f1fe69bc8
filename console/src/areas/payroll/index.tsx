import { lazy } from "react";
import { Resource } from "react-admin";
import FactCheckIcon from "@mui/icons-material/FactCheck";
import PaymentsIcon from "@mui/icons-material/Payments";
import type { Area } from "../types";

const HoursList = lazy(() => import("./hours").then((m) => ({ default: m.HoursList })));
const PayRunList = lazy(() => import("./payruns").then((m) => ({ default: m.PayRunList })));
const PayRunCreate = lazy(() => import("./payruns").then((m) => ({ default: m.PayRunCreate })));
const PayRunShow = lazy(() => import("./payruns").then((m) => ({ default: m.PayRunShow })));
const PayslipShow = lazy(() => import("./payslips").then((m) => ({ default: m.PayslipShow })));

/** Payroll and accounting: verifying hours, running pay. */
export const payrollArea: Area = {
  section: "payroll",
  title: "app.menu.payroll",
  nav: [
    { to: "/payroll_timesheets", label: "payroll.menu.hours", icon: <FactCheckIcon /> },
    { to: "/payroll_runs", label: "payroll.menu.runs", icon: <PaymentsIcon /> },
  ],
  resources: [
    <Resource key="payroll_timesheets" name="payroll_timesheets" list={HoursList} />,
    <Resource key="payroll_runs" name="payroll_runs" list={PayRunList} create={PayRunCreate} show={PayRunShow} />,
    <Resource key="payroll_payslips" name="payroll_payslips" show={PayslipShow} />,
    <Resource key="payroll_pay_groups" name="payroll_pay_groups" />,
  ],
};
