import { combineMessages } from "../types";
import { documents } from "./documents.messages";
import { switchboard } from "./switchboard.messages";

/** The office area's words, one part per screen set: `office.<part>.…` (each part's file holds its English and Spanish). */
export const officeMessages = combineMessages("office", {
  switchboard,
  documents,
});
