/**
 * The language of the pages shown before sign-in, which load without react-admin (to keep the first page
 * small): the same catalogue (en.ts, es.ts) and the same remembered choice as react-admin's own store, so the
 * language picked here is the one the console opens in.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { Button, Menu, MenuItem } from "@mui/material";
import TranslateIcon from "@mui/icons-material/Translate";
import { en } from "../i18n/en";
import { es } from "../i18n/es";
import { browserLocale, LOCALES, STORE_LOCALE_KEY } from "../i18n/locales";

const CATALOGUES: Record<string, object> = { en, es };

export function storedLocale(): string {
  try {
    const stored = JSON.parse(localStorage.getItem(STORE_LOCALE_KEY) ?? "null");
    if (typeof stored === "string" && stored in CATALOGUES) return stored;
  } catch {
    // ignore a broken value
  }
  return browserLocale();
}

export function translateIn(locale: string, key: string, values: Record<string, string> = {}): string {
  let node: unknown = CATALOGUES[locale] ?? CATALOGUES.en;
  for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== "string") return key;
  return node.replace(/%\{(\w+)\}/g, (_, name: string) => values[name] ?? "");
}

interface LocaleState {
  locale: string;
  setLocale(locale: string): void;
  t(key: string, values?: Record<string, string>): string;
}

const LocaleContext = createContext<LocaleState | null>(null);

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setState] = useState(storedLocale);
  const setLocale = useCallback((next: string) => {
    localStorage.setItem(STORE_LOCALE_KEY, JSON.stringify(next));
    document.documentElement.lang = next;
    setState(next);
  }, []);
  const value = useMemo(
    () => ({ locale, setLocale, t: (key: string, values?: Record<string, string>) => translateIn(locale, key, values) }),
    [locale, setLocale],
  );
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  const state = useContext(LocaleContext);
  if (!state) throw new Error("useLocale outside LocaleProvider");
  return state;
}

export function LocaleSwitcher() {
  const { locale, setLocale, t } = useLocale();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  return (
    <>
      <Button
        startIcon={<TranslateIcon />}
        onClick={(event) => setAnchor(event.currentTarget)}
        aria-label={`${t("app.locale.label")}: ${locale.toUpperCase()}`}
        aria-haspopup="menu"
      >
        {locale.toUpperCase()}
      </Button>
      <Menu anchorEl={anchor} open={Boolean(anchor)} onClose={() => setAnchor(null)}>
        {LOCALES.map((item) => (
          <MenuItem
            key={item.locale}
            selected={item.locale === locale}
            lang={item.locale}
            onClick={() => {
              setLocale(item.locale);
              setAnchor(null);
            }}
          >
            {item.name}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
