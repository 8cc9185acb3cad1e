// User-facing text lives only in locales/*.json; this module looks it up and fills {placeholders}.
import { readFileSync } from "node:fs";
import type { Locale } from "./ports.js";

export const LOCALES = ["vi", "en"] as const satisfies readonly Locale[];
export const DEFAULT_LOCALE: Locale = "vi";

type Catalog = Record<string, string>;

const catalogs: Record<Locale, Catalog> = {
  vi: loadCatalog("vi"),
  en: loadCatalog("en"),
};

function loadCatalog(locale: Locale): Catalog {
  const url = new URL(`../../locales/${locale}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as Catalog;
}

export type MessageKey = keyof typeof catalogs.vi & string;
export type Params = Record<string, string | number>;

/** Looks up `key` in `locale`, falling back to Vietnamese; a missing key is a programming error. */
export function t(locale: Locale, key: string, params: Params = {}): string {
  const template = catalogs[locale][key] ?? catalogs.vi[key];
  if (template === undefined) throw new Error(`Missing message key: ${key}`);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** The platform's language hint → our locale: English for en*, Vietnamese otherwise. */
export function localeFromLanguageCode(code: string | undefined): Locale {
  return code?.toLowerCase().startsWith("en") ? "en" : DEFAULT_LOCALE;
}

export function catalogKeys(locale: Locale): string[] {
  return Object.keys(catalogs[locale]);
}

/** A translator bound to one locale. */
export type Translate = (key: string, params?: Params) => string;
export const translator = (locale: Locale): Translate => (key, params) => t(locale, key, params);
