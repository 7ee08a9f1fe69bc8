import { combineMessages } from "../types";

/** The admin area's words, one part per screen set: `admin.<part>.…` (each part's file holds its English and Spanish). */
export const adminMessages = combineMessages("admin", {});
