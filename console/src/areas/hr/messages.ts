import type { AreaMessages } from "../types";

const en = {
  resources: {
    employees: {
      name: "Employee |||| Employees",
      fields: {
        id: "Employee id",
        given_name: "Given name",
        family_name: "Family name",
        email: "E-mail",
        phone: "Phone",
        position: "Position",
        department: "Department",
        department_id: "Department",
        manager_id: "Manager",
        status: "Status",
        start_date: "Start date",
        end_date: "End date",
        employment_type: "Employment type",
        q: "Search",
      },
    },
  },
};

/** HR's words. */
export const hrMessages: AreaMessages<typeof en> = {
  en,
  es: {
  resources: {
    employees: {
      name: "Empleado |||| Empleados",
      fields: {
        id: "Número de empleado",
        given_name: "Nombre",
        family_name: "Apellidos",
        email: "Correo electrónico",
        phone: "Teléfono",
        position: "Puesto",
        department: "Departamento",
        department_id: "Departamento",
        manager_id: "Responsable",
        status: "Estado",
        start_date: "Fecha de alta",
        end_date: "Fecha de baja",
        employment_type: "Tipo de contrato",
        q: "Buscar",
      },
    },
  },
  },
};
