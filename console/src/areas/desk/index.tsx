import { lazy } from "react";
import { Resource } from "react-admin";
import LaptopIcon from "@mui/icons-material/Laptop";
import type { Area } from "../types";

const EquipmentList = lazy(() => import("./equipment").then((m) => ({ default: m.EquipmentList })));
const EquipmentShow = lazy(() => import("./equipment").then((m) => ({ default: m.EquipmentShow })));
const EquipmentCreate = lazy(() => import("./equipment").then((m) => ({ default: m.EquipmentCreate })));

/** The IT desk (IT agents): the ticket queue and tickets, equipment, change requests, SLA calendars and policies. */
export const deskArea: Area = {
  section: "desk",
  title: "app.menu.it",
  nav: [{ to: "/desk_assets", label: "desk.equipment.menu", icon: <LaptopIcon /> }],
  routes: [],
  resources: [
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
