import { lazy } from "react";
import { Resource } from "react-admin";
import GroupsIcon from "@mui/icons-material/Groups";
import WarningIcon from "@mui/icons-material/ReportProblem";
import type { Area } from "../types";

const TeamList = lazy(() => import("./team").then((m) => ({ default: m.TeamList })));
const TeamShow = lazy(() => import("./team").then((m) => ({ default: m.TeamShow })));
const TeamWarningList = lazy(() => import("./team").then((m) => ({ default: m.TeamWarningList })));
const TeamWarningCreate = lazy(() => import("./team").then((m) => ({ default: m.TeamWarningCreate })));

/** A manager's own work: their team, and warnings to their reports. */
export const managerArea: Area = {
  section: "manager",
  title: "app.menu.manager",
  nav: [
    { to: "/team", label: "resources.team.name", icon: <GroupsIcon /> },
    { to: "/team_warnings", label: "resources.team_warnings.name", icon: <WarningIcon /> },
  ],
  resources: [
    <Resource key="team" name="team" list={TeamList} show={TeamShow} />,
    <Resource key="team_warnings" name="team_warnings" list={TeamWarningList} create={TeamWarningCreate} />,
  ],
};
