// The Telegram channel's pure parts: rendering (escaping, splitting, keyboards), Update → IncomingMessage,
// the webhook secret check, fault classification and the command menus.
import { TelegramError } from "telegraf";
import type { Update } from "telegraf/types";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/app/commands.js";
import { t } from "../../src/app/i18n.js";
import { commandMenus } from "../../src/channels/telegram/menus.js";
import { escapeHtml, inlineKeyboard, renderForTelegram, splitPlainText } from "../../src/channels/telegram/render.js";
import { telegramFailure } from "../../src/channels/telegram/send-failure.js";
import { toIncoming } from "../../src/channels/telegram/to-incoming.js";
import { isUpdate, secretMatches } from "../../src/channels/telegram/webhook-route.js";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A small deterministic PRNG, so a failing case can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Checks a split against the text: each chunk fits once escaped, has no broken surrogate pair, the chunks appear
 * in order, and what lies between two chunks is a dropped separator (whitespace) — or nothing, but then only
 * because a single word was longer than a whole message.
 */
function checkSplit(text: string, chunks: string[], limit: number) {
  let cursor = 0;
  chunks.forEach((chunk, i) => {
    expect(escapeHtml(chunk).length, `chunk ${i} escaped length`).toBeLessThanOrEqual(limit);
    expect(LONE_SURROGATE.test(chunk), `chunk ${i} has a lone surrogate`).toBe(false);
    expect(chunk.trim(), `chunk ${i} is blank`).not.toBe("");
    const at = text.indexOf(chunk, cursor);
    expect(at, `chunk ${i} not found in order`).toBeGreaterThanOrEqual(cursor);
    const gap = text.slice(cursor, at);
    expect(gap.trim(), `only whitespace may be dropped before chunk ${i}`).toBe("");
    if (i > 0 && gap === "") {
      // A hard cut: it must sit inside a run of non-space longer than a message.
      const before = /\S*$/.exec(text.slice(0, at))![0];
      const after = /^\S*/.exec(text.slice(at))![0];
      expect(escapeHtml(before + after).length, `hard cut before chunk ${i}`).toBeGreaterThan(limit);
    }
    cursor = at + chunk.length;
  });
  expect(text.slice(cursor).trim()).toBe("");
}

describe("escapeHtml", () => {
  it("escapes &, < and > and nothing else", () => {
    expect(escapeHtml(`a<b>&c "d" 'e' “Đợt 1”`)).toBe(`a&lt;b&gt;&amp;c "d" 'e' “Đợt 1”`);
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
  });
});

describe("splitPlainText", () => {
  it("leaves a text that fits alone", () => {
    expect(splitPlainText("Xin chào", 4096)).toEqual(["Xin chào"]);
    const exactly = "x".repeat(4096);
    expect(splitPlainText(exactly)).toEqual([exactly]);
  });

  it("counts after escaping", () => {
    // 1000 × "&" is 1000 characters but 5000 once escaped.
    const chunks = splitPlainText("&".repeat(1000), 4096);
    expect(chunks.map((c) => c.length)).toEqual([819, 181]);
    for (const c of chunks) expect(escapeHtml(c).length).toBeLessThanOrEqual(4096);
  });

  it("cuts at a paragraph break before a line break, and at a line break before a space", () => {
    const text = "aaaa bbbb\ncccc dddd\n\neeee ffff\ngggg hhhh";
    expect(splitPlainText(text, 32)).toEqual(["aaaa bbbb\ncccc dddd", "eeee ffff\ngggg hhhh"]);
    const lines = "aaaa bbbb cccc\ndddd eeee";
    expect(splitPlainText(lines, 20)).toEqual(["aaaa bbbb cccc", "dddd eeee"]);
    // A separator right at the limit still counts.
    expect(splitPlainText("aaaa bbbb\ncccc dddd eeee\nffff", 24)).toEqual(["aaaa bbbb\ncccc dddd eeee", "ffff"]);
    const words = "aaaa bbbb cccc dddd eeee ffff";
    expect(splitPlainText(words, 12)).toEqual(["aaaa bbbb", "cccc dddd", "eeee ffff"]);
  });

  it("does not make a tiny chunk out of an early break when a later, lesser one leaves the chunk at least half full", () => {
    const text = "Tiêu đề\n\n" + Array.from({ length: 10 }, (_, i) => `dòng số ${i}`).join("\n");
    const chunks = splitPlainText(text, 60);
    expect(chunks[0]!.startsWith("Tiêu đề\n\ndòng số 0")).toBe(true);
    checkSplit(text, chunks, 60);
  });

  it("never cuts a word, an escape or a surrogate pair; a word longer than a message is cut where it must be", () => {
    const emoji = "😀".repeat(30);
    const chunks = splitPlainText(`mở đầu ${emoji} kết thúc`, 9);
    checkSplit(`mở đầu ${emoji} kết thúc`, chunks, 9);
    expect(chunks.join("").replace(/\s/g, "")).toBe(`mởđầu${emoji}kếtthúc`);
    expect(splitPlainText(" " + "x".repeat(12) + " yy", 12)).toEqual(["x".repeat(12), "yy"]);
    const amps = splitPlainText("&&&&&&&&&&", 12);
    expect(amps.map(escapeHtml)).toEqual(["&amp;&amp;", "&amp;&amp;", "&amp;&amp;", "&amp;&amp;", "&amp;&amp;"]);
  });

  it("holds its promises on random texts", () => {
    const random = prng(20250519);
    const pieces = ["công", "đoàn", "<b>", "&", "thi", "đua", "😀", "Đợt", "x".repeat(30), "a&b<c>d", " ", " ", " ", "\n", "\n\n", "  "];
    for (let round = 0; round < 300; round++) {
      const limit = 8 + Math.floor(random() * 120);
      let text = "";
      const size = Math.floor(random() * 400);
      for (let i = 0; i < size; i++) text += pieces[Math.floor(random() * pieces.length)];
      if (text.trim() === "") continue;
      const chunks = splitPlainText(text, limit);
      checkSplit(text, chunks, limit);
    }
  });
});

describe("inlineKeyboard and renderForTelegram", () => {
  it("puts short labels two to a row and long ones one to a row", () => {
    const short = inlineKeyboard([
      { label: "Tiếng Việt", value: "/lang vi" },
      { label: "English", value: "/lang en" },
      { label: "Bỏ qua", value: "skip" },
    ]);
    expect(short.inline_keyboard.map((row) => row.map((b) => b.callback_data))).toEqual([["/lang vi", "/lang en"], ["skip"]]);
    const long = inlineKeyboard([
      { label: "Công đoàn cơ sở Công ty Điện lực Lai Châu", value: "1" },
      { label: "Có", value: "2" },
    ]);
    expect(long.inline_keyboard.map((row) => row.length)).toEqual([1, 1]);
  });

  it("allows callback_data up to 64 bytes of UTF-8 and refuses more as a programming error", () => {
    expect(() => inlineKeyboard([{ label: "a", value: "a".repeat(64) }])).not.toThrow();
    expect(() => inlineKeyboard([{ label: "a", value: "a".repeat(65) }])).toThrow(/callback_data must be 1–64 bytes.*65 bytes/);
    // 22 characters, 66 bytes.
    expect(() => inlineKeyboard([{ label: "a", value: "ệ".repeat(22) }])).toThrow(/66 bytes/);
    expect(() => inlineKeyboard([{ label: "a", value: "" }])).toThrow(/0 bytes/);
  });

  it("escapes the text, sends HTML, and hangs the keyboard on the last message only", () => {
    const parts = renderForTelegram({ text: "<a> word word word word\n\n" + "b ".repeat(30).trim(), choices: [{ label: "OK", value: "ok" }] }, 40);
    expect(parts.map((p) => p.text)).toEqual(["&lt;a&gt; word word word word", "b b b b b b b b b b b b b b b b b b b b", "b b b b b b b b b b"]);
    expect(parts.every((p) => p.parse_mode === "HTML")).toBe(true);
    expect(parts.slice(0, -1).map((p) => p.reply_markup)).toEqual([undefined, undefined]);
    expect(parts[2]!.reply_markup).toEqual({ inline_keyboard: [[{ text: "OK", callback_data: "ok" }]] });
    expect(() => renderForTelegram({ text: "  " })).toThrow(/needs text/);
  });
});

describe("toIncoming", () => {
  const from = { id: 77, is_bot: false, first_name: "Lò Văn", last_name: "Sáng", language_code: "en" };
  const chat = { id: 77, type: "private", first_name: "Lò Văn" };
  const message = { message_id: 5, date: 0, chat, from, text: "/chude" };

  it("turns a private text message into an IncomingMessage", () => {
    expect(toIncoming({ update_id: 10, message } as Update)).toEqual({
      message: { channel: "telegram", chatId: "77", text: "/chude", displayName: "Lò Văn Sáng", languageCode: "en", updateKey: "10" },
    });
    const bare = { ...message, from: { id: 77, is_bot: false, first_name: "Mai" } };
    expect(toIncoming({ update_id: 11, message: bare } as Update)?.message).toEqual({ channel: "telegram", chatId: "77", text: "/chude", displayName: "Mai", updateKey: "11" });
  });

  it("turns a button press into its data, with the query to answer", () => {
    const update = { update_id: 12, callback_query: { id: "q1", from, chat_instance: "i", data: "/lang en", message: { ...message, text: "Chọn ngôn ngữ:" } } } as Update;
    expect(toIncoming(update)).toEqual({
      message: { channel: "telegram", chatId: "77", text: "/lang en", displayName: "Lò Văn Sáng", languageCode: "en", updateKey: "12" },
      callbackQueryId: "q1",
    });
    const inaccessible = { update_id: 13, callback_query: { id: "q2", from, chat_instance: "i", data: "/lang vi" } } as Update;
    expect(toIncoming(inaccessible)?.message.chatId).toBe("77");
  });

  it("ignores everything else", () => {
    const group = { ...message, chat: { id: -5, type: "group", title: "Tổ" } };
    const ignored = [
      { update_id: 1, edited_message: message },
      { update_id: 2, channel_post: { message_id: 1, date: 0, chat: { id: -100, type: "channel", title: "K" }, text: "/chude" } },
      { update_id: 3, message: group },
      { update_id: 4, message: { message_id: 6, date: 0, chat, from, photo: [] } },
      { update_id: 5, message: { message_id: 7, date: 0, chat, from, sticker: {} } },
      { update_id: 6, callback_query: { id: "q", from, chat_instance: "i", game_short_name: "g" } },
      { update_id: 7, callback_query: { id: "q", from, chat_instance: "i", data: "x", message: group } },
      { update_id: 8, my_chat_member: {} },
    ];
    for (const update of ignored) expect(toIncoming(update as unknown as Update), JSON.stringify(update)).toBeNull();
  });
});

describe("webhook checks", () => {
  it("compares the secret exactly, a different length being a mismatch", () => {
    const secret = "wh_Secret-0123456789abcdef";
    expect(secretMatches(secret, secret)).toBe(true);
    expect(secretMatches(secret.replace("S", "s"), secret)).toBe(false);
    expect(secretMatches(secret + "x", secret)).toBe(false);
    expect(secretMatches(secret.slice(1), secret)).toBe(false);
    expect(secretMatches("", secret)).toBe(false);
    expect(secretMatches(undefined, secret)).toBe(false);
    expect(secretMatches([secret], secret)).toBe(false);
  });

  it("accepts objects with a numeric update_id only", () => {
    expect(isUpdate({ update_id: 1 })).toBe(true);
    expect(isUpdate({ update_id: 0, message: {} })).toBe(true);
    for (const bad of [null, [], "x", 1, {}, { update_id: "1" }, { update_id: 1.5 }, { update_id: -1 }]) expect(isUpdate(bad), JSON.stringify(bad)).toBe(false);
  });
});

describe("telegramFailure", () => {
  const tgError = (error_code: number, description: string, retry_after?: number) =>
    new TelegramError({ error_code, description, ...(retry_after !== undefined ? { parameters: { retry_after } } : {}) });

  it("classifies Telegram's error codes", () => {
    expect(telegramFailure(tgError(429, "Too Many Requests: retry after 7", 7))).toEqual({ kind: "rate-limited", retryAfterSeconds: 7, detail: "Too Many Requests: retry after 7" });
    expect(telegramFailure(tgError(403, "Forbidden: bot was blocked by the user"))).toEqual({ kind: "blocked", detail: "Forbidden: bot was blocked by the user" });
    expect(telegramFailure(tgError(502, "Bad Gateway")).kind).toBe("transient");
    expect(telegramFailure(tgError(400, "Bad Request: chat not found")).kind).toBe("rejected");
  });

  it("calls network faults transient without repeating their message (which holds the URL)", () => {
    const fetchError = Object.assign(new Error(`request to http://127.0.0.1:1/bot123456789:AAsecretsecretsecretsecret/sendMessage failed`), { name: "FetchError", code: "ECONNREFUSED" });
    expect(telegramFailure(fetchError)).toEqual({ kind: "transient", detail: "network error (ECONNREFUSED)" });
    expect(telegramFailure(new Error("http://x/bot1:abc/getMe")).detail).toBe("network error (Error)");
  });
});

describe("commandMenus", () => {
  it("lists the Vietnamese aliases in the default menu and the English names in the en menu, described from locales", () => {
    const { menus, missing } = commandMenus();
    expect(missing).toEqual([]);
    const [vi, en] = menus;
    expect(vi!.languageCode).toBeUndefined();
    expect(en!.languageCode).toBe("en");
    for (const [name, aliases] of Object.entries(COMMANDS) as [string, readonly string[]][]) {
      expect(vi!.commands).toContainEqual({ command: aliases[0] ?? name, description: t("vi", `menu.${name}`) });
      expect(en!.commands).toContainEqual({ command: name, description: t("en", `menu.${name}`) });
    }
    for (const menu of menus) {
      for (const c of menu.commands) {
        expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
        expect(c.description.length).toBeGreaterThanOrEqual(3);
        expect(c.description.length).toBeLessThanOrEqual(256);
      }
    }
    expect(vi!.commands.map((c) => c.command)).toContain("start");
  });
});
