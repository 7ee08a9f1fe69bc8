/** An IBAN checked as it is typed: country, length and the ISO 13616 check digits (mod 97). */
export function ibanProblem(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const iban = value.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban)) return "payroll.suppliers.iban_shape";
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const char of moved) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest === 1 ? undefined : "payroll.suppliers.iban_check";
}

/** A BIC: bank, country, place and an optional branch (8 or 11 characters). */
export function bicProblem(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  return /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(value.trim().toUpperCase())
    ? undefined
    : "payroll.suppliers.bic_shape";
}
