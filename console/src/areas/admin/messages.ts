import { combineMessages } from "../types";
import * as deadletters from "./deadletters.messages";
import * as health from "./health.messages";
import * as logins from "./logins.messages";

/** The admin area's words, one part per screen set: `admin.<part>.…` (each part's file holds its English and Spanish). */
export const adminMessages = combineMessages("admin", { logins, deadletters, health });
