import { combineMessages } from "../types";
import { equipment } from "./equipment.messages";

/** The desk area's words, one part per screen set: `desk.<part>.…` (each part's file holds its English and Spanish). */
export const deskMessages = combineMessages("desk", { equipment });
