import type { AreaMessages } from "../types";

const en = {
  resources: {
    team: {
      name: "Team member |||| My team",
      fields: {
        name: "Name",
        email: "E-mail",
        position: "Position",
        department: "Department",
        status: "Status",
        start_date: "Start date",
        q: "Search",
      },
    },
    team_warnings: {
      name: "Warning |||| Warnings I issued",
      fields: {
        employee_id: "Employee",
        category: "Category",
        severity: "Severity",
        facts: "What happened",
        occurred_on: "Day it happened",
        issued_at: "Issued",
        acknowledge_by: "Acknowledge by",
        state: "Acknowledgement",
      },
    },
  },
  manager: {
    issued_to_them: "Warnings you issued to them",
    no_warnings: "You have issued them no warning.",
  },
};

/** A manager's words. */
export const managerMessages: AreaMessages<typeof en> = {
  en,
  es: {
    resources: {
      team: {
        name: "Miembro del equipo |||| Mi equipo",
        fields: {
          name: "Nombre",
          email: "Correo electrónico",
          position: "Puesto",
          department: "Departamento",
          status: "Estado",
          start_date: "Fecha de alta",
          q: "Buscar",
        },
      },
      team_warnings: {
        name: "Amonestación |||| Amonestaciones que he emitido",
        fields: {
          employee_id: "Empleado",
          category: "Categoría",
          severity: "Gravedad",
          facts: "Qué ocurrió",
          occurred_on: "Día de los hechos",
          issued_at: "Emitida",
          acknowledge_by: "Acusar recibo antes de",
          state: "Acuse de recibo",
        },
      },
    },
    manager: {
      issued_to_them: "Amonestaciones que le ha emitido",
      no_warnings: "No le ha emitido ninguna amonestación.",
    },
  },
};
