import { lazy } from "react";
import { Route } from "react-router-dom";
import PersonIcon from "@mui/icons-material/Person";
import EventNoteIcon from "@mui/icons-material/EventNote";
import ReceiptLongIcon from "@mui/icons-material/ReceiptLong";
import GavelIcon from "@mui/icons-material/Gavel";
import RecordVoiceOverIcon from "@mui/icons-material/RecordVoiceOver";
import SupportAgentIcon from "@mui/icons-material/SupportAgent";
import LaptopIcon from "@mui/icons-material/Laptop";
import SchoolIcon from "@mui/icons-material/School";
import InsightsIcon from "@mui/icons-material/Insights";
import VoicemailIcon from "@mui/icons-material/Voicemail";
import BalanceIcon from "@mui/icons-material/Balance";
import type { Area } from "../types";

const ProfilePage = lazy(() => import("./ProfilePage").then((m) => ({ default: m.ProfilePage })));
const WeekPage = lazy(() => import("./WeekPage").then((m) => ({ default: m.WeekPage })));
const PayslipList = lazy(() => import("./payslips").then((m) => ({ default: m.PayslipList })));
const PayslipShow = lazy(() => import("./payslips").then((m) => ({ default: m.PayslipShow })));
const WarningList = lazy(() => import("./warnings").then((m) => ({ default: m.WarningList })));
const WarningShow = lazy(() => import("./warnings").then((m) => ({ default: m.WarningShow })));
const ComplaintList = lazy(() => import("./complaints").then((m) => ({ default: m.ComplaintList })));
const ComplaintCreate = lazy(() => import("./complaints").then((m) => ({ default: m.ComplaintCreate })));
const TicketList = lazy(() => import("./tickets").then((m) => ({ default: m.TicketList })));
const TicketCreate = lazy(() => import("./tickets").then((m) => ({ default: m.TicketCreate })));
const TicketShow = lazy(() => import("./tickets").then((m) => ({ default: m.TicketShow })));
const EquipmentList = lazy(() => import("./equipment").then((m) => ({ default: m.EquipmentList })));
const MessagesPage = lazy(() => import("./callmessages").then((m) => ({ default: m.MessagesPage })));
const PayInformationPage = lazy(() => import("./payinfo").then((m) => ({ default: m.PayInformationPage })));
const TrainingPage = lazy(() => import("./TrainingPage").then((m) => ({ default: m.TrainingPage })));
const DocumentPage = lazy(() => import("./TrainingPage").then((m) => ({ default: m.DocumentPage })));
// Whether the company is going up or down is for everyone: the profit and loss of payroll's dashboard.
const CompanyResults = lazy(() => import("../payroll/dashboard").then((m) => ({ default: m.CompanyResults })));

/** What every person does for themselves. */
export const selfArea: Area = {
  section: "self",
  title: "app.menu.self",
  nav: [
    { to: "/me/week", label: "self.menu.week", icon: <EventNoteIcon /> },
    { to: "/me/payslips", label: "self.menu.payslips", icon: <ReceiptLongIcon /> },
    { to: "/me/warnings", label: "self.menu.warnings", icon: <GavelIcon /> },
    { to: "/me/complaints", label: "self.menu.complaints", icon: <RecordVoiceOverIcon /> },
    { to: "/me/tickets", label: "self.menu.tickets", icon: <SupportAgentIcon /> },
    { to: "/me/equipment", label: "self.menu.equipment", icon: <LaptopIcon /> },
    { to: "/me/messages", label: "self.menu.messages", icon: <VoicemailIcon /> },
    { to: "/me/training", label: "self.menu.training", icon: <SchoolIcon /> },
    { to: "/me/pay-information", label: "self.payinfo.menu", icon: <BalanceIcon /> },
    { to: "/me/profile", label: "app.menu.profile", icon: <PersonIcon /> },
    { to: "/company/results", label: "payroll.dashboard.company_results", icon: <InsightsIcon /> },
  ],
  routes: [
    <Route key="profile" path="/me/profile" element={<ProfilePage />} />,
    <Route key="week" path="/me/week" element={<WeekPage />} />,
    <Route key="payslips" path="/me/payslips" element={<PayslipList />} />,
    <Route key="payslip" path="/me/payslips/:id" element={<PayslipShow />} />,
    <Route key="warnings" path="/me/warnings" element={<WarningList />} />,
    <Route key="warning" path="/me/warnings/:id" element={<WarningShow />} />,
    <Route key="complaints" path="/me/complaints" element={<ComplaintList />} />,
    <Route key="complaint-new" path="/me/complaints/new" element={<ComplaintCreate />} />,
    <Route key="tickets" path="/me/tickets" element={<TicketList />} />,
    <Route key="ticket-new" path="/me/tickets/new" element={<TicketCreate />} />,
    <Route key="ticket" path="/me/tickets/:id" element={<TicketShow />} />,
    <Route key="equipment" path="/me/equipment" element={<EquipmentList />} />,
    <Route key="messages" path="/me/messages" element={<MessagesPage />} />,
    <Route key="training" path="/me/training" element={<TrainingPage />} />,
    <Route key="pay-information" path="/me/pay-information" element={<PayInformationPage />} />,
    <Route key="document" path="/me/documents/:id" element={<DocumentPage />} />,
    <Route key="company-results" path="/company/results" element={<CompanyResults />} />,
  ],
};
