/** The words of the pay register (`fairpay.register.…`). */
export const en = {
  menu: "Pay register",
  title: "Pay register",
  intro:
    "Average and median pay per hour paid, by sex, for each job category and pay concept, from approved payslips paid in the period. Download it, or file it as a PDF in documents.",
  csv: "Download CSV",
  json: "Download JSON",
  file: "File as PDF",
  filing: "The register of %{period} is being filed: the PDF appears here as soon as documents has it.",
  filed: "Filed in documents: %{title}",
  table: "Register of %{period}",
  help: "Amounts in %{currency} per hour paid. A group of fewer than %{threshold} workers is suppressed.",
  empty: "No approved payslips were paid in this period.",
  category: "Category",
  concept: "Pay concept",
  no_category: "No category",
  workers: "Workers",
  average: "Average",
  median: "Median",
};

export const es: typeof en = {
  menu: "Registro retributivo",
  title: "Registro retributivo",
  intro:
    "Retribución media y mediana por hora pagada, por sexo, de cada categoría profesional y concepto retributivo, a partir de las nóminas aprobadas pagadas en el periodo. Descárgalo o archívalo en PDF en documentos.",
  csv: "Descargar CSV",
  json: "Descargar JSON",
  file: "Archivar en PDF",
  filing: "Se está archivando el registro de %{period}: el PDF aparecerá aquí en cuanto esté en documentos.",
  filed: "Archivado en documentos: %{title}",
  table: "Registro de %{period}",
  help: "Importes en %{currency} por hora pagada. Un grupo de menos de %{threshold} personas se oculta.",
  empty: "No se pagaron nóminas aprobadas en este periodo.",
  category: "Categoría",
  concept: "Concepto retributivo",
  no_category: "Sin categoría",
  workers: "Personas",
  average: "Media",
  median: "Mediana",
};
