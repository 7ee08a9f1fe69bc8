/** The declared sex control (HR's employee page and "My profile"): `fairpay.sex.…`. */
export const sex = {
  en: {
    title: "Declared sex",
    why_hr:
      "Optional and self-declared: recorded only for the equal-pay report and the pay register, seen by HR, payroll and pay auditors, never on the employee record.",
    why_self:
      "Optional: you may declare it, change it, or say you prefer not to. It is used only for the equal-pay report and the pay register, seen by HR, payroll and pay auditors.",
    none: "Not recorded",
    by_self: "Declared by the employee",
    by_hr: "Recorded by HR",
    choose: "Choose one",
    save: "Save",
    saved: "Declared sex saved",
    values: { female: "Female", male: "Male", another: "Another", not_declared: "Prefers not to say" },
  },
  es: {
    title: "Sexo declarado",
    why_hr:
      "Opcional y declarado por la persona: solo para el informe de igualdad retributiva y el registro retributivo, visible para RR. HH., nóminas y auditoría retributiva, nunca en la ficha del empleado.",
    why_self:
      "Opcional: puede declararlo, cambiarlo o indicar que prefiere no decirlo. Solo se usa para el informe de igualdad retributiva y el registro retributivo, visible para RR. HH., nóminas y auditoría retributiva.",
    none: "Sin registrar",
    by_self: "Declarado por la persona",
    by_hr: "Registrado por RR. HH.",
    choose: "Elija una opción",
    save: "Guardar",
    saved: "Sexo declarado guardado",
    values: { female: "Mujer", male: "Hombre", another: "Otro", not_declared: "Prefiere no decirlo" },
  },
};
