import { combineMessages } from "../types";
import * as assessments from "./assessments.messages";
import { categories } from "./categories.messages";
import * as common from "./common.messages";
import * as records from "./records.messages";
import * as register from "./register.messages";
import * as report from "./report.messages";
import * as requests from "./requests.messages";
import { sex } from "./sex.messages";

/** The fair-pay area's words, one part per screen set: `fairpay.<part>.…` (each part's file holds its English and
 * Spanish). */
export const fairpayMessages = combineMessages("fairpay", {
  categories,
  sex,
  common,
  report,
  records,
  assessments,
  register,
  requests,
});
