/** The console's languages, and how the first one is chosen: the person's earlier choice, else the browser's. */
export const LOCALES = [
  { locale: "en", name: "English" },
  { locale: "es", name: "Español" },
];

/** Where react-admin's store keeps the chosen language (its localStorage store, key `locale`). */
export const STORE_LOCALE_KEY = "RaStore.locale";

export function browserLocale(
  languages: readonly string[] = typeof navigator === "undefined" ? [] : (navigator.languages ?? [navigator.language]),
): string {
  for (const language of languages) {
    const base = language.toLowerCase().split("-")[0];
    if (LOCALES.some((item) => item.locale === base)) return base;
  }
  return "en";
}
