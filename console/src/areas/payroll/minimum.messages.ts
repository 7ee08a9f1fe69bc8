import type { AreaMessages } from "../types";

/** The words of payroll's minimum pay screens and of the minimum pay findings of a run (`payroll.minimum.…`). */
const en = {
  payroll: {
    minimum: {
      new: "New minimum pay version",
      intro:
        "The least pay of an hour worked, by country (and region, or collective agreement group), from a date. A change is a new version: versions are never edited.",
      whole_country: "Whole country",
      everyone: "Everyone",
      open: "until the next version",
      findings_title: "Minimum pay",
      below_title: "Payslips under the minimum pay",
      below_intro:
        "Each pays an hour worked under the minimum in force on the last day of the period. Correct the pay terms and calculate again, or override with a written reason.",
      hourly_pay: "Hourly pay",
      minimum: "Minimum",
      shortfall: "Short by",
      override: "Override",
      override_named: "Override the minimum for %{name}",
      override_title: "Let this payslip stand under the minimum",
      override_explain:
        "%{name} is paid %{hourly} an hour, under the minimum of %{minimum}. Your reason is kept with the run and sent to the other services.",
      reason: "Reason",
      reason_help: "Why this payslip may be paid under the minimum (required)",
      reason_required: "Write the reason",
      overridden: "Overridden",
      overrides_title: "Overrides",
      no_overrides: "No payslip of this run was let stand under the minimum.",
      by: "By",
      when: "When",
      employee: "Employee",
      done: "Override recorded",
      overtime_title: "Overtime under the premium",
    },
  },
  resources: {
    payroll_minimum_pay: {
      name: "Minimum pay |||| Minimum pay",
      fields: {
        country: "Country",
        region: "Region",
        agreement_group: "Agreement group",
        version: "Version",
        effective_from: "From",
        effective_to: "Until",
        in_force_to: "In force until",
        currency: "Currency",
        hourly_minimum: "Hourly minimum",
        overtime_premium_percent: "Overtime premium (%)",
      },
    },
  },
};

const es: typeof en = {
  payroll: {
    minimum: {
      new: "Nueva versión del salario mínimo",
      intro:
        "La retribución mínima de una hora trabajada, por país (y región, o grupo del convenio colectivo), desde una fecha. Un cambio es una nueva versión: las versiones nunca se modifican.",
      whole_country: "Todo el país",
      everyone: "Todos",
      open: "hasta la siguiente versión",
      findings_title: "Salario mínimo",
      below_title: "Nóminas por debajo del salario mínimo",
      below_intro:
        "Cada una paga una hora trabajada por debajo del mínimo vigente el último día del periodo. Corrija las condiciones retributivas y vuelva a calcular, o autorícela con un motivo escrito.",
      hourly_pay: "Retribución por hora",
      minimum: "Mínimo",
      shortfall: "Diferencia",
      override: "Autorizar",
      override_named: "Autorizar bajo el mínimo a %{name}",
      override_title: "Dejar esta nómina por debajo del mínimo",
      override_explain:
        "%{name} cobra %{hourly} por hora, por debajo del mínimo de %{minimum}. Su motivo se guarda con la nómina y se envía a los demás servicios.",
      reason: "Motivo",
      reason_help: "Por qué esta nómina puede pagarse por debajo del mínimo (obligatorio)",
      reason_required: "Escriba el motivo",
      overridden: "Autorizada",
      overrides_title: "Autorizaciones",
      no_overrides: "Ninguna nómina de este proceso se ha autorizado por debajo del mínimo.",
      by: "Por",
      when: "Cuándo",
      employee: "Empleado",
      done: "Autorización registrada",
      overtime_title: "Horas extra por debajo del recargo",
    },
  },
  resources: {
    payroll_minimum_pay: {
      name: "Salario mínimo |||| Salarios mínimos",
      fields: {
        country: "País",
        region: "Región",
        agreement_group: "Grupo del convenio",
        version: "Versión",
        effective_from: "Desde",
        effective_to: "Hasta",
        in_force_to: "Vigente hasta",
        currency: "Moneda",
        hourly_minimum: "Mínimo por hora",
        overtime_premium_percent: "Recargo de horas extra (%)",
      },
    },
  },
};

export const payrollMinimumMessages: AreaMessages<typeof en> = { en, es };
