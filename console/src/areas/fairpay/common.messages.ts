/** The words the fair-pay screens share (`fairpay.common.…`). */
export const en = {
  period: "Period",
  year: "Year",
  custom: "Other dates",
  from: "From (pay date)",
  to: "To (pay date)",
  show: "Show",
  period_text: "%{from} to %{to}",
  suppressed: "Suppressed — fewer than %{threshold} workers",
  sex: { female: "Women", male: "Men", another: "Another sex", not_declared: "Not declared" },
  component: { basic: "basic", complementary: "complementary", total: "total" },
};

export const es: typeof en = {
  period: "Periodo",
  year: "Año",
  custom: "Otras fechas",
  from: "Desde (fecha de pago)",
  to: "Hasta (fecha de pago)",
  show: "Mostrar",
  period_text: "%{from} a %{to}",
  suppressed: "Oculto — menos de %{threshold} personas",
  sex: { female: "Mujeres", male: "Hombres", another: "Otro sexo", not_declared: "No declarado" },
  component: { basic: "base", complementary: "complementaria", total: "total" },
};
