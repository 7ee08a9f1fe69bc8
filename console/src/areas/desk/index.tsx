import { lazy } from "react";
import { Resource } from "react-admin";
import SupportAgentIcon from "@mui/icons-material/SupportAgent";
import type { Area } from "../types";

const TicketQueue = lazy(() => import("./TicketQueue").then((m) => ({ default: m.TicketQueue })));
const TicketScreen = lazy(() => import("./TicketScreen").then((m) => ({ default: m.TicketScreen })));

/** The IT desk (IT agents): the ticket queue and tickets, equipment, change requests, SLA calendars and policies. */
export const deskArea: Area = {
  section: "desk",
  title: "app.menu.it",
  nav: [{ to: "/desk_tickets", label: "desk.tickets.menu", icon: <SupportAgentIcon /> }],
  routes: [],
  resources: [<Resource key="desk_tickets" name="desk_tickets" list={TicketQueue} show={TicketScreen} />],
};
