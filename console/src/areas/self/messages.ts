import type { AreaMessages } from "../types";

const en = {
  self: {},
};

/** Self-service's words. */
export const selfMessages: AreaMessages<typeof en> = {
  en,
  es: {
    self: {},
  },
};
