import { combineMessages } from "../types";

/** The fair-pay area's words, one part per screen set: `fairpay.<part>.…` (each part's file holds its English and
 * Spanish). */
export const fairpayMessages = combineMessages("fairpay", {});
