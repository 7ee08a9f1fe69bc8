import { lazy } from "react";
import { Resource } from "react-admin";
import { Route } from "react-router-dom";
import AssignmentLateIcon from "@mui/icons-material/AssignmentLate";
import ChecklistIcon from "@mui/icons-material/Checklist";
import EventIcon from "@mui/icons-material/Event";
import FactCheckIcon from "@mui/icons-material/FactCheck";
import PersonAddIcon from "@mui/icons-material/PersonAdd";
import SchoolIcon from "@mui/icons-material/School";
import WorkIcon from "@mui/icons-material/Work";
import WorkspacePremiumIcon from "@mui/icons-material/WorkspacePremium";
import type { Area } from "../types";

// Screens load with their chunk when first opened: nothing here weighs on the sign-in page.
const openings = () => import("./openings");
const candidates = () => import("./candidates");
const interviews = () => import("./interviews");
const application = () => import("./application");
const checklists = () => import("./checklists");
const training = () => import("./training");

const OpeningList = lazy(() => openings().then((m) => ({ default: m.OpeningList })));
const OpeningCreate = lazy(() => openings().then((m) => ({ default: m.OpeningCreate })));
const OpeningShow = lazy(() => openings().then((m) => ({ default: m.OpeningShow })));
const CandidateList = lazy(() => candidates().then((m) => ({ default: m.CandidateList })));
const CandidateCreate = lazy(() => candidates().then((m) => ({ default: m.CandidateCreate })));
const InterviewList = lazy(() => interviews().then((m) => ({ default: m.InterviewList })));
const InterviewShow = lazy(() => interviews().then((m) => ({ default: m.InterviewShow })));
const ApplicationPage = lazy(() => application().then((m) => ({ default: m.ApplicationPage })));
const TemplateList = lazy(() => checklists().then((m) => ({ default: m.TemplateList })));
const TemplateEdit = lazy(() => checklists().then((m) => ({ default: m.TemplateEdit })));
const PersonChecklist = lazy(() => checklists().then((m) => ({ default: m.PersonChecklist })));
const LateTasks = lazy(() => checklists().then((m) => ({ default: m.LateTasks })));
const CourseList = lazy(() => training().then((m) => ({ default: m.CourseList })));
const CourseCreate = lazy(() => training().then((m) => ({ default: m.CourseCreate })));
const CourseShow = lazy(() => training().then((m) => ({ default: m.CourseShow })));
const ExpiringCertificates = lazy(() => training().then((m) => ({ default: m.ExpiringCertificates })));

/** HR's hiring (openings and their pipeline, candidates, interviews, offers), checklists and training. */
export const hiringArea: Area = {
  section: "hr",
  title: "hiring.menu",
  nav: [
    { to: "/openings", label: "resources.openings.name", icon: <WorkIcon /> },
    { to: "/candidates", label: "resources.candidates.name", icon: <PersonAddIcon /> },
    { to: "/interviews", label: "resources.interviews.name", icon: <EventIcon /> },
    { to: "/checklists/people", label: "hiring.nav.checklists", icon: <ChecklistIcon /> },
    { to: "/checklists/late", label: "hiring.nav.late", icon: <AssignmentLateIcon /> },
    { to: "/checklists/templates", label: "hiring.nav.templates", icon: <FactCheckIcon /> },
    { to: "/courses", label: "resources.courses.name", icon: <SchoolIcon /> },
    { to: "/training/expiring", label: "hiring.nav.expiring", icon: <WorkspacePremiumIcon /> },
  ],
  routes: [
    <Route key="application" path="/applications/:id" element={<ApplicationPage />} />,
    <Route key="templates" path="/checklists/templates" element={<TemplateList />} />,
    <Route key="template" path="/checklists/templates/edit" element={<TemplateEdit />} />,
    <Route key="checklists" path="/checklists/people" element={<PersonChecklist />} />,
    <Route key="checklist" path="/checklists/people/:employeeId" element={<PersonChecklist />} />,
    <Route key="late" path="/checklists/late" element={<LateTasks />} />,
    <Route key="expiring" path="/training/expiring" element={<ExpiringCertificates />} />,
  ],
  resources: [
    <Resource key="openings" name="openings" list={OpeningList} create={OpeningCreate} show={OpeningShow} />,
    <Resource key="candidates" name="candidates" list={CandidateList} create={CandidateCreate} />,
    <Resource key="interviews" name="interviews" list={InterviewList} show={InterviewShow} />,
    <Resource key="courses" name="courses" list={CourseList} create={CourseCreate} show={CourseShow} />,
  ],
};
