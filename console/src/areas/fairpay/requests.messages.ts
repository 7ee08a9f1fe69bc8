/** The words of the information requests list (`fairpay.requests.…`). */
export const en = {
  menu: "Information requests",
  title: "Pay information requests",
  intro: "Employees' requests for the average pay of women and men in their category, with the answer each was given.",
  none: "No employee has asked yet.",
  own_only: "Only HR, pay auditors and admins see every employee's requests: here are your own.",
  answered: "Answered",
  employee: "Employee",
  category: "Category",
  period: "Period",
  women: "Women",
  men: "Men",
  figures: "%{workers} workers: %{hourly} an hour, %{annual} over the period",
};

export const es: typeof en = {
  menu: "Solicitudes de información",
  title: "Solicitudes de información retributiva",
  intro: "Las solicitudes de las personas empleadas sobre la retribución media de mujeres y hombres de su categoría, con la respuesta dada.",
  none: "Ninguna persona lo ha pedido aún.",
  own_only:
    "Solo RR. HH., las personas auditoras retributivas y la administración ven las solicitudes de todos: aquí están las tuyas.",
  answered: "Respondida",
  employee: "Persona",
  category: "Categoría",
  period: "Periodo",
  women: "Mujeres",
  men: "Hombres",
  figures: "%{workers} personas: %{hourly} por hora, %{annual} en el periodo",
};
