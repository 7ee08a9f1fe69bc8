/** The words of self-service's "Pay in my category" (`self.payinfo.…`). */
export const en = {
  menu: "Pay in my category",
  title: "Pay in my category",
  intro:
    "You may ask for the average pay of the women and the men in your job category, over the last full calendar year. The answer comes at once and is kept with your request. It never names anyone.",
  ask: "Ask for the pay in my category",
  answer_title: "Average pay in %{category}",
  answer_period: "Pay dates from %{from} to %{to}; answered %{date}.",
  women: "Women",
  men: "Men",
  figures: "%{workers} workers: %{hourly} an hour on average, %{annual} over the period",
  suppressed: "Suppressed — fewer than %{threshold} workers",
  why_suppressed:
    "A group of fewer than %{threshold} workers is not shown: its figures could tell what one colleague earns.",
  earlier: "My earlier requests",
  none: "You have not asked yet.",
  answered: "Answered",
  category: "Category",
};

export const es: typeof en = {
  menu: "Retribución en mi categoría",
  title: "Retribución en mi categoría",
  intro:
    "Puedes pedir la retribución media de las mujeres y de los hombres de tu categoría profesional en el último año natural completo. La respuesta llega al momento y se guarda con tu solicitud. Nunca nombra a nadie.",
  ask: "Pedir la retribución de mi categoría",
  answer_title: "Retribución media en %{category}",
  answer_period: "Fechas de pago del %{from} al %{to}; respondida el %{date}.",
  women: "Mujeres",
  men: "Hombres",
  figures: "%{workers} personas: %{hourly} por hora de media, %{annual} en el periodo",
  suppressed: "Oculto — menos de %{threshold} personas",
  why_suppressed:
    "Un grupo de menos de %{threshold} personas no se muestra: sus cifras podrían revelar lo que cobra un compañero.",
  earlier: "Mis solicitudes anteriores",
  none: "Aún no has hecho ninguna solicitud.",
  answered: "Respondida",
  category: "Categoría",
};
