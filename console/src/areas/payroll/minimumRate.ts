/** An hourly amount from the API's decimal text, with two to four decimals (never through a float): a part-timer's
 * hourly pay of 11.5385 is shown as it is compared with the minimum, not rounded to the cent. */
export function formatRate(amount: string | null | undefined, currency: string, locale: string): string {
  if (amount === null || amount === undefined || amount === "") return "";
  const format = new Intl.NumberFormat(locale, { style: "currency", currency, maximumFractionDigits: 4 });
  return format.format(String(amount) as unknown as number);
}
