import { lazy } from "react";
import { Resource } from "react-admin";
import { Route } from "react-router-dom";
import ManageAccountsIcon from "@mui/icons-material/ManageAccounts";
import MarkEmailUnreadIcon from "@mui/icons-material/MarkEmailUnread";
import MonitorHeartIcon from "@mui/icons-material/MonitorHeart";
import type { Area } from "../types";

const LoginList = lazy(() => import("./logins").then((m) => ({ default: m.LoginList })));
const LoginPage = lazy(() => import("./logins").then((m) => ({ default: m.LoginPage })));
const DeadLetters = lazy(() => import("./deadletters").then((m) => ({ default: m.DeadLetterPageScreen })));
const HealthPage = lazy(() => import("./health").then((m) => ({ default: m.HealthPage })));

/** Administration (admins): logins and their roles, dead letters of each service, the health of the suite. */
export const adminArea: Area = {
  section: "admin",
  title: "app.menu.admin",
  nav: [
    { to: "/administration/logins", label: "admin.logins.menu", icon: <ManageAccountsIcon /> },
    { to: "/administration/dead-letters", label: "admin.deadletters.menu", icon: <MarkEmailUnreadIcon /> },
    { to: "/administration/health", label: "admin.health.menu", icon: <MonitorHeartIcon /> },
  ],
  routes: [
    <Route key="logins" path="/administration/logins" element={<LoginList />} />,
    <Route key="login" path="/administration/logins/:id" element={<LoginPage />} />,
    <Route key="dead-letters" path="/administration/dead-letters" element={<DeadLetters />} />,
    <Route key="health" path="/administration/health" element={<HealthPage />} />,
  ],
  resources: [<Resource key="admin_logins" name="admin_logins" />],
};
