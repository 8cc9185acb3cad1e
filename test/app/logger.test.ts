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
