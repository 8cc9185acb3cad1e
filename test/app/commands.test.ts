import { describe, expect, it } from "vitest";
import { COMMANDS, parseCommand } from "../../src/app/commands.js";

describe("parseCommand", () => {
  it.each([
    ["/chude", "theme", ""],
    ["/theme", "theme", ""],
    ["/CHUDE", "theme", ""],
    ["/chude@congdoan_bot", "theme", ""],
    ["/dot", "phases", ""],
    ["/ngayle", "events", ""],
    ["/trogiup", "help", ""],
    ["/ngonngu en", "lang", "en"],
    ["/lang   vi  ", "lang", "vi"],
    ["/ngung", "stop", ""],
    ["/start", "start", ""],
  ])("%s → %s", (text, name, args) => {
    expect(parseCommand(text)).toEqual({ name, typed: text.trim().slice(1).split(/[@\s]/)[0]!.toLowerCase(), args });
  });

  it("knows an unknown command as such, keeping what was typed", () => {
    expect(parseCommand("/xyz abc")).toEqual({ name: null, typed: "xyz", args: "abc" });
  });

  it("is not fooled by text that merely contains a slash", () => {
    expect(parseCommand("chào / chude")).toBeNull();
    expect(parseCommand("hello")).toBeNull();
    expect(parseCommand("/ chude")).toBeNull();
    expect(parseCommand("/chủđề")).toBeNull();
  });

  it("gives every English command a Vietnamese alias except /start, and all are Telegram-valid", () => {
    for (const [name, aliases] of Object.entries(COMMANDS)) {
      expect(name).toMatch(/^[a-z0-9_]{1,32}$/);
      for (const alias of aliases) expect(alias).toMatch(/^[a-z0-9_]{1,32}$/);
      if (name !== "start") expect(aliases.length).toBeGreaterThan(0);
    }
  });
});
