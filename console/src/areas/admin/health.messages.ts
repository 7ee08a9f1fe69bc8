/** The words of the admin area's health page (`admin.health.…`). */
export const en = {
  menu: "Health",
  title: "Health of the suite",
  all_ok: "Every part of the suite is ready.",
  degraded: "Something is down: see below.",
  checked: "(checked %{date})",
  part: "Part",
  status: "State",
  database: "Database",
  nats: "NATS",
  latency: "Answered in",
  ms: "%{ms} ms",
  state: { ok: "ready", unavailable: "not ready", unreachable: "unreachable", down: "down" },
};

export const es: typeof en = {
  menu: "Estado",
  title: "Estado del sistema",
  all_ok: "Todas las partes del sistema están listas.",
  degraded: "Algo no funciona: véase abajo.",
  checked: "(comprobado el %{date})",
  part: "Parte",
  status: "Estado",
  database: "Base de datos",
  nats: "NATS",
  latency: "Respondió en",
  ms: "%{ms} ms",
  state: { ok: "lista", unavailable: "no lista", unreachable: "inalcanzable", down: "caída" },
};
