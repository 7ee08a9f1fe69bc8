import { lazy } from "react";
import { Route } from "react-router-dom";
import FolderOpenIcon from "@mui/icons-material/FolderOpen";
import type { Area } from "../types";

const DocumentsPage = lazy(() => import("./documents").then((m) => ({ default: m.DocumentsPage })));
const DocumentPage = lazy(() => import("./document").then((m) => ({ default: m.DocumentPage })));

/** The office (office clerks): the switchboard (directory, calls, transfers, messages) and documents. */
export const officeArea: Area = {
  section: "office",
  title: "app.menu.office",
  nav: [{ to: "/office/documents", label: "office.documents.menu", icon: <FolderOpenIcon /> }],
  routes: [
    <Route key="documents" path="/office/documents" element={<DocumentsPage />} />,
    <Route key="document" path="/office/documents/:id" element={<DocumentPage />} />,
  ],
  resources: [],
};
