import { combineMessages } from "../types";
import { categories } from "./categories.messages";
import { sex } from "./sex.messages";

/** The fair-pay area's words, one part per screen set: `fairpay.<part>.…` (each part's file holds its English and
 * Spanish). */
export const fairpayMessages = combineMessages("fairpay", { categories, sex });
