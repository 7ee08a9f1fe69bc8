import { lazy } from "react";
import { Resource } from "react-admin";
import PeopleIcon from "@mui/icons-material/People";
import GavelIcon from "@mui/icons-material/Gavel";
import WarningIcon from "@mui/icons-material/ReportProblem";
import ForumIcon from "@mui/icons-material/Forum";
import PersonAddIcon from "@mui/icons-material/PersonAdd";
import type { Area } from "../types";

const EmployeeList = lazy(() => import("./employees").then((m) => ({ default: m.EmployeeList })));
const EmployeeShow = lazy(() => import("./employees").then((m) => ({ default: m.EmployeeShow })));
const HireCreate = lazy(() => import("./hire").then((m) => ({ default: m.HireCreate })));
const CaseList = lazy(() => import("./discipline").then((m) => ({ default: m.CaseList })));
const WarningList = lazy(() => import("./discipline").then((m) => ({ default: () => <m.WarningList /> })));
const WarningCreate = lazy(() => import("./discipline").then((m) => ({ default: () => <m.WarningCreate /> })));
const ComplaintList = lazy(() => import("./complaints").then((m) => ({ default: m.ComplaintList })));
const ComplaintShow = lazy(() => import("./complaints").then((m) => ({ default: m.ComplaintShow })));

/** HR's work: people, discipline, complaints, hiring, onboarding and training. */
export const hrArea: Area = {
  section: "hr",
  title: "app.menu.hr",
  nav: [
    { to: "/employees", label: "resources.employees.name", icon: <PeopleIcon /> },
    { to: "/employees/create", label: "hr.hire.button", icon: <PersonAddIcon /> },
    { to: "/hr_cases", label: "resources.hr_cases.name", icon: <GavelIcon /> },
    { to: "/hr_warnings", label: "resources.hr_warnings.name", icon: <WarningIcon /> },
    { to: "/hr_complaints", label: "resources.hr_complaints.name", icon: <ForumIcon /> },
  ],
  resources: [
    <Resource key="employees" name="employees" list={EmployeeList} show={EmployeeShow} create={HireCreate} />,
    <Resource key="hr_cases" name="hr_cases" list={CaseList} />,
    <Resource key="hr_warnings" name="hr_warnings" list={WarningList} create={WarningCreate} />,
    <Resource key="hr_complaints" name="hr_complaints" list={ComplaintList} show={ComplaintShow} />,
    <Resource key="departments" name="departments" />,
    <Resource key="hr_timesheets" name="hr_timesheets" />,
    <Resource key="hr_documents" name="hr_documents" />,
  ],
};
