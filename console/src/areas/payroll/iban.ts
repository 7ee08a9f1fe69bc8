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

/** A BIC: bank, country, place and an optional branch (8 or 11 characters); the place as a pain.001 bank file
 * takes it (the API's rule): its first character a letter or 2-9 (0 and 1 mark test and passive BICs), its second
 * not the letter O. */
export function bicProblem(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const bic = value.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) return "payroll.suppliers.bic_shape";
  return /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]/.test(bic) ? undefined : "payroll.suppliers_more.bic_location";
}

/** The IBAN as it is written on paper: groups of four (for the helper text under the field). */
export function ibanGroups(value: string | null | undefined): string {
  return (value ?? "").replace(/\s+/g, "").toUpperCase().replace(/(.{4})(?=.)/g, "$1 ");
}
