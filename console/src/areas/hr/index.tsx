import { lazy } from "react";
import { Resource } from "react-admin";
import PeopleIcon from "@mui/icons-material/People";
import type { Area } from "../types";

const EmployeeList = lazy(() => import("./employees").then((m) => ({ default: m.EmployeeList })));
const EmployeeShow = lazy(() => import("./employees").then((m) => ({ default: m.EmployeeShow })));

/** HR's work: people, discipline, complaints, hiring, onboarding and training. */
export const hrArea: Area = {
  section: "hr",
  title: "app.menu.hr",
  nav: [{ to: "/employees", label: "resources.employees.name", icon: <PeopleIcon /> }],
  resources: [<Resource key="employees" name="employees" list={EmployeeList} show={EmployeeShow} />],
};
