/**
 * English and Spanish: react-admin's own words and the console's, in the language chosen before sign-in (or the
 * browser's), switchable in the app bar; react-admin's store remembers the choice.
 */
import polyglotI18nProvider from "ra-i18n-polyglot";
import englishMessages from "ra-language-english";
import { mergeTranslations, type TranslationMessages } from "react-admin";
import { en } from "../i18n/en";
import { es } from "../i18n/es";
import { LOCALES } from "../i18n/locales";
import { raSpanish } from "../i18n/ra-es";
import { storedLocale } from "../shell/locale";
import { AREA_MESSAGES } from "../areas/registry";
import { setTranslator } from "../api/problems";

const areas = Object.values(AREA_MESSAGES);

export const CATALOGUES: Record<string, TranslationMessages> = {
  en: mergeTranslations(englishMessages, en, ...areas.map((area) => area.en)),
  es: mergeTranslations(raSpanish, es, ...areas.map((area) => area.es)),
};

export const i18nProvider = polyglotI18nProvider(
  (locale) => CATALOGUES[locale] ?? CATALOGUES.en,
  storedLocale(),
  LOCALES,
  { allowMissing: false },
);

// Problems met outside React (a service that is down) are told in the chosen language too.
setTranslator((key, values) => i18nProvider.translate(key, values));
