/**
 * The console's areas, in the order of the navigation. To add one: a folder with index.tsx, resources.ts and
 * messages.ts (see types.ts), and a line in each list below.
 */
import type { Area, AreaMessages } from "./types";
import { hiringArea } from "./hiring";
import { hrArea } from "./hr";
import { managerArea } from "./manager";
import { payrollArea } from "./payroll";
import { selfArea } from "./self";
import { deskArea } from "./desk";
import { officeArea } from "./office";
import { fairpayArea } from "./fairpay";
import { adminArea } from "./admin";

export const AREAS: Area[] = [
  selfArea,
  managerArea,
  hrArea,
  hiringArea,
  payrollArea,
  deskArea,
  officeArea,
  fairpayArea,
  adminArea,
];
export type { Area, AreaMessages };
