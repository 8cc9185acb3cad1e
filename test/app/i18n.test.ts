import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { catalogKeys, localeFromLanguageCode, t } from "../../src/app/i18n.js";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("locales", () => {
  it("have the same keys in Vietnamese and English", () => {
    expect(catalogKeys("en").sort()).toEqual(catalogKeys("vi").sort());
  });

  it("use the same placeholders in both languages", () => {
    for (const key of catalogKeys("vi")) expect(placeholders(t("en", key)), key).toEqual(placeholders(t("vi", key)));
  });

  it("are stored as NFC", () => {
    for (const file of ["vi", "en"]) {
      const raw = readFileSync(new URL(`../../locales/${file}.json`, import.meta.url), "utf8");
      expect(raw.normalize("NFC") === raw, file).toBe(true);
    }
  });

  it("fills placeholders and refuses unknown keys", () => {
    expect(t("vi", "unknown.command", { command: "/abc" })).toBe("Không có lệnh /abc. Gõ /trogiup để xem các lệnh.");
    expect(() => t("vi", "no.such.key")).toThrow(/Missing message key/);
  });

  it("maps platform language hints", () => {
    expect(localeFromLanguageCode("en-GB")).toBe("en");
    expect(localeFromLanguageCode("vi")).toBe("vi");
    expect(localeFromLanguageCode("fr")).toBe("vi");
    expect(localeFromLanguageCode(undefined)).toBe("vi");
  });
});
