import { lazy } from "react";
import { Route } from "react-router-dom";
import FolderOpenIcon from "@mui/icons-material/FolderOpen";
import PhoneInTalkIcon from "@mui/icons-material/PhoneInTalk";
import AssessmentIcon from "@mui/icons-material/Assessment";
import type { Area } from "../types";

const SwitchboardPage = lazy(() => import("./switchboard").then((m) => ({ default: m.SwitchboardPage })));
const SwitchboardReportPage = lazy(() => import("./report").then((m) => ({ default: m.SwitchboardReportPage })));
const DocumentsPage = lazy(() => import("./documents").then((m) => ({ default: m.DocumentsPage })));
const DocumentPage = lazy(() => import("./document").then((m) => ({ default: m.DocumentPage })));

/** The office (office clerks): the switchboard (directory, calls, transfers, messages) and documents. */
export const officeArea: Area = {
  section: "office",
  title: "app.menu.office",
  nav: [
    { to: "/switchboard", label: "office.switchboard.menu", icon: <PhoneInTalkIcon /> },
    { to: "/switchboard/report", label: "office.switchboard.report_menu", icon: <AssessmentIcon /> },
    { to: "/office/documents", label: "office.documents.menu", icon: <FolderOpenIcon /> },
  ],
  routes: [
    <Route key="switchboard" path="/switchboard" element={<SwitchboardPage />} />,
    <Route key="switchboard-report" path="/switchboard/report" element={<SwitchboardReportPage />} />,
    <Route key="documents" path="/office/documents" element={<DocumentsPage />} />,
    <Route key="document" path="/office/documents/:id" element={<DocumentPage />} />,
  ],
  resources: [],
};
