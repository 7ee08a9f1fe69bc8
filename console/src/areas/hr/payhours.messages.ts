import type { AreaMessages } from "../types";

/** The words of the contracted hours and agreement group of pay terms (`hr.pay_hours.…`), which payroll uses to
 * check the minimum pay. */
const en = {
  hr: {
    pay_hours: {
      weekly_hours: "Contracted hours a week",
      weekly_hours_help: "A part-timer's hours (e.g. 20); empty: the pay group's standard hours",
      agreement_group: "Collective agreement group",
      agreement_group_help: "When the minimum pay depends on it; empty otherwise",
    },
  },
};

const es: typeof en = {
  hr: {
    pay_hours: {
      weekly_hours: "Horas semanales contratadas",
      weekly_hours_help: "Las horas de un contrato a tiempo parcial (p. ej. 20); vacío: la jornada estándar del grupo",
      agreement_group: "Grupo del convenio colectivo",
      agreement_group_help: "Cuando el salario mínimo depende de él; si no, vacío",
    },
  },
};

export const hrPayHoursMessages: AreaMessages<typeof en> = { en, es };
