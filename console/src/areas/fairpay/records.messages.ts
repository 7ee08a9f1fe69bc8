/** The words of the justification and assessment forms (`fairpay.records.…`). */
export const en = {
  justify_title: "Justify the gap in %{name}",
  justify_help: "Say which factors other than sex explain the gap (seniority, shifts, a market supplement…).",
  text: "Justification",
  assess_title: "Joint pay assessment of %{name}",
  assess_help:
    "Record what the assessment found with the workers' representatives, and the measures that will close the gap, each with who answers for it and by when.",
  findings: "Findings",
  measures: "Measures",
  measure_n: "Measure %{n}",
  owner: "Owner",
  due: "Due",
  add_measure: "Add a measure",
  remove_measure: "Remove measure %{n}",
  save: "Save",
  justified: "Justification recorded",
  assessed: "Joint pay assessment recorded",
};

export const es: typeof en = {
  justify_title: "Justificar la brecha en %{name}",
  justify_help: "Indica qué factores distintos del sexo explican la brecha (antigüedad, turnos, un complemento de mercado…).",
  text: "Justificación",
  assess_title: "Evaluación retributiva conjunta de %{name}",
  assess_help:
    "Registra lo que la evaluación halló con la representación de las personas trabajadoras y las medidas que cerrarán la brecha, cada una con su responsable y su plazo.",
  findings: "Conclusiones",
  measures: "Medidas",
  measure_n: "Medida %{n}",
  owner: "Responsable",
  due: "Plazo",
  add_measure: "Añadir una medida",
  remove_measure: "Quitar la medida %{n}",
  save: "Guardar",
  justified: "Justificación registrada",
  assessed: "Evaluación retributiva conjunta registrada",
};
