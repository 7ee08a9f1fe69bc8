import { describe, expect, it } from "vitest";
import englishMessages from "ra-language-english";
import { en } from "./en";
import { es } from "./es";
import { raSpanish } from "./ra-es";
import { AREA_MESSAGES } from "../areas/registry";

function keys(node: unknown, prefix = ""): string[] {
  if (typeof node !== "object" || node === null) return [prefix];
  return Object.entries(node).flatMap(([key, value]) => keys(value, prefix ? `${prefix}.${key}` : key));
}

describe("the Spanish catalogue", () => {
  it("has every key of the console's English one, and no other", () => {
    expect(keys(es).sort()).toEqual(keys(en).sort());
  });

  it.each(Object.entries(AREA_MESSAGES))("has every key of the %s area's English one, and no other", (_, area) => {
    expect(keys(area.es).sort()).toEqual(keys(area.en).sort());
  });

  it("has every key of react-admin's English one, and no other", () => {
    expect(keys(raSpanish).sort()).toEqual(keys(englishMessages).sort());
  });

  it.each(CATALOGUES)("keeps every placeholder of the English %s text", (_, english, spanish) => {
    const lost = keys(english).flatMap((key) => {
      const wanted = placeholders(lookup(english, key));
      const kept = placeholders(lookup(spanish, key));
      return wanted.filter((name) => !kept.includes(name)).map((name) => `${key}: %{${name}}`);
    });
    expect(lost).toEqual([]);
  });

  it.each(CATALOGUES)("has as many plural forms as the English %s text", (_, english, spanish) => {
    const differ = keys(english).filter(
      (key) => lookup(english, key).split("||||").length !== lookup(spanish, key).split("||||").length,
    );
    expect(differ).toEqual([]);
  });

  it("translates react-admin's words (no English text left in place)", () => {
    const same = keys(englishMessages).filter((key) => {
      const value = lookup(englishMessages, key);
      const words = value.replace(/%\{\w+\}/g, "");
      return value === lookup(raSpanish, key) && /[a-z]{4,}/.test(words) && !RA_SAME_IN_BOTH.has(key);
    });
    expect(same).toEqual([]);
  });

  it("translates what it holds (no English text left in place)", () => {
    const english = new Map(keys(en).map((key) => [key, lookup(en, key)]));
    const same = keys(es).filter((key) => {
      const value = lookup(es, key);
      return value === english.get(key) && /[a-z]{4,}/.test(value) && !SAME_IN_BOTH.has(key);
    });
    expect(same).toEqual([]);
  });
});

// Words that are the same in both languages (names of languages, the product's name).
const SAME_IN_BOTH = new Set(["app.title", "app.locale.en", "app.locale.es"]);
const RA_SAME_IN_BOTH = new Set(["ra.configurable.inspector.title"]);

// Each English catalogue beside its Spanish one: react-admin's, the console's and each area's.
const CATALOGUES: [string, object, object][] = [
  ["react-admin", englishMessages, raSpanish],
  ["console", en, es],
  ...Object.entries(AREA_MESSAGES).map(([name, area]): [string, object, object] => [`${name} area`, area.en, area.es]),
];

/** The names of polyglot's `%{name}` placeholders in a text. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/%\{(\w+)\}/g)].map((match) => match[1]);
}

function lookup(node: unknown, key: string): string {
  return key.split(".").reduce<unknown>((value, part) => (value as Record<string, unknown>)[part], node) as string;
}
