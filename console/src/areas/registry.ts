/**
 * What the data provider and the translations need of every area, without React: the API behind each resource
 * and each area's words. Add an area's resources.ts and messages.ts here.
 */
import { hiringMessages } from "./hiring/messages";
import { hiringResources } from "./hiring/resources";
import { hrMessages } from "./hr/messages";
import { hrResources } from "./hr/resources";
import { hrPayHoursMessages } from "./hr/payhours.messages";
import { managerMessages } from "./manager/messages";
import { managerResources } from "./manager/resources";
import { payrollMessages } from "./payroll/messages";
import { payrollResources } from "./payroll/resources";
import { payrollMinimumMessages } from "./payroll/minimum.messages";
import { selfMessages } from "./self/messages";
import { selfResources } from "./self/resources";
import * as selfPayInformation from "./self/payinfo.messages";
import { deskMessages } from "./desk/messages";
import { deskResources } from "./desk/resources";
import { officeMessages } from "./office/messages";
import { officeResources } from "./office/resources";
import { fairpayMessages } from "./fairpay/messages";
import { fairpayResources } from "./fairpay/resources";
import { adminMessages } from "./admin/messages";
import { adminResources } from "./admin/resources";
import { combineMessages, type AreaMessages } from "./types";

export const AREA_RESOURCES = {
  ...selfResources,
  ...hrResources,
  ...hiringResources,
  ...managerResources,
  ...payrollResources,
  ...deskResources,
  ...officeResources,
  ...fairpayResources,
  ...adminResources,
};

export const AREA_MESSAGES: Record<string, AreaMessages> = {
  self: selfMessages,
  "self-payinfo": combineMessages("self", { payinfo: selfPayInformation }),
  hr: hrMessages,
  hr_pay_hours: hrPayHoursMessages,
  manager: managerMessages,
  payroll: payrollMessages,
  payroll_minimum: payrollMinimumMessages,
  hiring: hiringMessages,
  desk: deskMessages,
  office: officeMessages,
  fairpay: fairpayMessages,
  admin: adminMessages,
};
