import { lazy } from "react";
import { Resource } from "react-admin";
import { Route } from "react-router-dom";
import AltRouteIcon from "@mui/icons-material/AltRoute";
import LaptopIcon from "@mui/icons-material/Laptop";
import SupportAgentIcon from "@mui/icons-material/SupportAgent";
import TimerIcon from "@mui/icons-material/Timer";
import type { Area } from "../types";

// Screens load with their chunk when first opened: nothing here weighs on the sign-in page.
const changes = () => import("./changes");
const slaSettings = () => import("./slaSettings");

const TicketQueue = lazy(() => import("./TicketQueue").then((m) => ({ default: m.TicketQueue })));
const TicketScreen = lazy(() => import("./TicketScreen").then((m) => ({ default: m.TicketScreen })));
const EquipmentList = lazy(() => import("./equipment").then((m) => ({ default: m.EquipmentList })));
const EquipmentShow = lazy(() => import("./equipment").then((m) => ({ default: m.EquipmentShow })));
const EquipmentCreate = lazy(() => import("./equipment").then((m) => ({ default: m.EquipmentCreate })));
const ChangeBoard = lazy(() => changes().then((m) => ({ default: m.ChangeBoard })));
const ChangeRequestForm = lazy(() => changes().then((m) => ({ default: m.ChangeRequestForm })));
const SlaPage = lazy(() => slaSettings().then((m) => ({ default: m.SlaPage })));
const CalendarPage = lazy(() => slaSettings().then((m) => ({ default: m.CalendarPage })));

/** The IT desk (IT agents): the ticket queue and tickets, equipment, change requests, SLA calendars and policies. */
export const deskArea: Area = {
  section: "desk",
  title: "app.menu.it",
  nav: [
    { to: "/desk_tickets", label: "desk.tickets.menu", icon: <SupportAgentIcon /> },
    { to: "/desk_assets", label: "desk.equipment.menu", icon: <LaptopIcon /> },
    { to: "/desk/changes", label: "desk.changes.menu", icon: <AltRouteIcon /> },
    { to: "/desk/sla", label: "desk.sla.menu", icon: <TimerIcon /> },
  ],
  routes: [
    <Route key="changes" path="/desk/changes" element={<ChangeBoard />} />,
    <Route key="change-new" path="/desk/changes/new" element={<ChangeRequestForm />} />,
    <Route key="sla" path="/desk/sla" element={<SlaPage />} />,
    <Route key="calendar-new" path="/desk/sla/calendars/new" element={<CalendarPage />} />,
    <Route key="calendar" path="/desk/sla/calendars/:id" element={<CalendarPage />} />,
  ],
  resources: [
    <Resource key="desk_tickets" name="desk_tickets" list={TicketQueue} show={TicketScreen} />,
    <Resource
      key="desk_assets"
      name="desk_assets"
      options={{ label: "desk.equipment.title" }}
      list={EquipmentList}
      show={EquipmentShow}
      create={EquipmentCreate}
    />,
  ],
};
