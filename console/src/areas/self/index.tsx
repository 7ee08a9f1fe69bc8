import { lazy } from "react";
import { Route } from "react-router-dom";
import PersonIcon from "@mui/icons-material/Person";
import type { Area } from "../types";

const ProfilePage = lazy(() => import("./ProfilePage").then((m) => ({ default: m.ProfilePage })));

/** What every person does for themselves. */
export const selfArea: Area = {
  section: "self",
  title: "app.menu.self",
  nav: [{ to: "/me/profile", label: "app.menu.profile", icon: <PersonIcon /> }],
  routes: [<Route key="profile" path="/me/profile" element={<ProfilePage />} />],
};
