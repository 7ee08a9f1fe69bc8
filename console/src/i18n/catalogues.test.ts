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

  it("has every key of react-admin's English one", () => {
    const missing = keys(englishMessages).filter((key) => !keys(raSpanish).includes(key));
    expect(missing).toEqual([]);
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

function lookup(node: unknown, key: string): string {
  return key.split(".").reduce<unknown>((value, part) => (value as Record<string, unknown>)[part], node) as string;
}
