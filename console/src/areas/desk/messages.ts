import { combineMessages } from "../types";
import { changes } from "./changes.messages";
import { equipment } from "./equipment.messages";
import { sla } from "./sla.messages";
import { tickets } from "./tickets.messages";

/** The desk area's words, one part per screen set: `desk.<part>.…` (each part's file holds its English and Spanish). */
export const deskMessages = combineMessages("desk", {
  tickets,
  equipment,
  changes,
  sla,
});
