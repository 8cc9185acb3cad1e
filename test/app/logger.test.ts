import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, redactSecrets } from "../../src/logger.js";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

describe("logger redaction", () => {
  it("scrubs bot tokens from URLs and free text", () => {
    expect(redactSecrets(`GET https://api.telegram.org/bot${TOKEN}/getMe failed`)).toBe("GET https://api.telegram.org/bot[redacted]/getMe failed");
    expect(redactSecrets(`token ${TOKEN} here`)).toBe("token [redacted] here");
  });

  it("never writes a token or secret, in messages, fields or errors", () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: "info", destination, secrets: ["zalo-secret-token-value"] });
    log.info({ url: `https://bot-api.zaloplatforms.com/botzalo-secret-token-value/sendMessage`, token: "abc", headers: { authorization: "Bearer x" } }, "call");
    log.error({ err: new Error(`request to /bot${TOKEN}/sendMessage failed`) }, "failed");
    log.warn(`raw zalo-secret-token-value and ${TOKEN}`);
    const out = lines.join("");
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain("zalo-secret-token-value");
    expect(out).not.toContain("Bearer x");
    expect(out).toContain("[redacted]");
    expect(lines).toHaveLength(3);
  });
});

describe("logger: ordinary URLs and chat ids", () => {
  it("leaves ordinary URLs alone, host names and paths that start with 'bot' included", () => {
    for (const url of ["https://bot.example.org/", "https://bot.example.org/webhooks/telegram", "http://bot-1:3000/healthz", "https://example.org/bottles/2024", "https://example.org/bots"]) {
      expect(redactSecrets(url)).toBe(url);
    }
    expect(redactSecrets(`https://bot.example.org/bot${TOKEN}/getMe`)).toBe("https://bot.example.org/bot[redacted]/getMe");
    expect(redactSecrets("https://bot-api.zaloplatforms.com/bot1234567890:abcdefghij/sendMessage")).toBe("https://bot-api.zaloplatforms.com/bot[redacted]/sendMessage");

    const { lines, destination } = capture();
    createLogger({ level: "info", destination }).info({ url: "https://bot.example.org/webhooks/zalo" }, "zalo webhook registered");
    expect(JSON.parse(lines[0]!).url).toBe("https://bot.example.org/webhooks/zalo");
  });

  it("never logs a web chat id; logs other chat ids only on debug lines", () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: "trace", destination });
    const web = "web-0123456789abcdef0123456789abcdef";
    for (const level of ["trace", "debug", "info", "warn", "error"] as const) log[level]({ channel: "web", chatId: web, kind: "blocked" }, "web line");
    log.error({ chatId: web }, "a web id without its channel");
    log.warn({ channel: "telegram", chatId: "700123", kind: "blocked" }, "telegram warn");
    log.debug({ channel: "telegram", chatId: "700123" }, "telegram debug");
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.join("")).not.toContain(web);
    expect(records.filter((r) => r.msg === "web line")).toHaveLength(5);
    expect(records.find((r) => r.msg === "web line")).toMatchObject({ channel: "web", kind: "blocked" });
    expect(records.find((r) => r.msg === "telegram warn")).toEqual(expect.not.objectContaining({ chatId: expect.anything() }));
    expect(records.find((r) => r.msg === "telegram warn")).toMatchObject({ channel: "telegram", kind: "blocked" });
    expect(records.find((r) => r.msg === "telegram debug")).toMatchObject({ channel: "telegram", chatId: "700123" });
  });
});
