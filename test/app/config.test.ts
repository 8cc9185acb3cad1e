import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

describe("loadConfig", () => {
  it("has working defaults: SQLite, port 3000, web chat on without tokens", () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBe("file:./data/congdoan-bot.db");
    expect(c.PORT).toBe(3000);
    expect(c.BOT_TIMEZONE).toBe("Asia/Ho_Chi_Minh");
    expect(c.UPDATES_MODE).toBe("polling");
    expect(c.webChatEnabled).toBe(true);
    expect(c.quietHours).toEqual({ start: "21:00", end: "07:00" });
    expect([c.CATCH_UP_GRACE_HOURS, c.FLOW_TIMEOUT_HOURS, c.TELEGRAM_RATE_PER_SECOND, c.TELEGRAM_CHAT_RATE_PER_SECOND, c.ZALO_RATE_PER_SECOND]).toEqual([24, 24, 25, 1, 5]);
  });

  it("takes Zalo photos from zdn.vn and zadn.vn by default, or the domains listed; refuses what is not a domain list", () => {
    expect(loadConfig({}).ZALO_PHOTO_HOSTS).toEqual(["zdn.vn", "zadn.vn"]);
    expect(loadConfig({ ZALO_PHOTO_HOSTS: " ZDN.vn , cdn.example.vn " }).ZALO_PHOTO_HOSTS).toEqual(["zdn.vn", "cdn.example.vn"]);
    // Set but empty counts as unset (as for every variable).
    expect(loadConfig({ ZALO_PHOTO_HOSTS: "" }).ZALO_PHOTO_HOSTS).toEqual(["zdn.vn", "zadn.vn"]);
    for (const bad of [",", "*", "https://zdn.vn", "zdn.vn/path", "localhost"]) {
      expect(() => loadConfig({ ZALO_PHOTO_HOSTS: bad }), bad).toThrow(/ZALO_PHOTO_HOSTS must be domain names/);
    }
  });

  it("turns the web chat off by default when a platform token is set, and on when asked", () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: "123:abc" }).webChatEnabled).toBe(false);
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: "123:abc", WEB_CHAT: "on", WEB_CHAT_PUBLIC: "true" }).webChatEnabled).toBe(true);
  });

  it("listens on 127.0.0.1 while the web chat is on and not public, on 0.0.0.0 otherwise, and on HOST when it is set", () => {
    expect(loadConfig({}).HOST).toBe("127.0.0.1");
    expect(loadConfig({ WEB_CHAT: "on" }).HOST).toBe("127.0.0.1");
    expect(loadConfig({ WEB_CHAT: "off" }).HOST).toBe("0.0.0.0");
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: "123:abc" }).HOST).toBe("0.0.0.0");
    expect(loadConfig({ WEB_CHAT_PUBLIC: "true" }).HOST).toBe("0.0.0.0");
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: "123:abc", WEB_CHAT: "on", WEB_CHAT_PUBLIC: "true" }).HOST).toBe("0.0.0.0");
    expect(loadConfig({ HOST: "0.0.0.0" }).HOST).toBe("0.0.0.0");
    expect(loadConfig({ HOST: "127.0.0.1", WEB_CHAT_PUBLIC: "true" }).HOST).toBe("127.0.0.1");
  });

  it("refuses WEB_CHAT=on beside a platform token unless WEB_CHAT_PUBLIC=true, in one line saying why", () => {
    for (const token of [{ TELEGRAM_BOT_TOKEN: "123:abc" }, { ZALO_BOT_TOKEN: "123:abc" }]) {
      expect(() => loadConfig({ ...token, WEB_CHAT: "on" })).toThrow(ConfigError);
      expect(() => loadConfig({ ...token, WEB_CHAT: "on", WEB_CHAT_PUBLIC: "false" })).toThrow(/^Configuration error: WEB_CHAT=on beside a platform token .*set WEB_CHAT_PUBLIC=true if that is intended$/);
    }
    expect(loadConfig({ WEB_CHAT: "on" }).webChatEnabled).toBe(true);
  });

  it.each([
    [{ METRICS_TOKEN: "short" }, "METRICS_TOKEN"],
    [{ METRICS_TOKEN: "has spaces in it 0123456789" }, "METRICS_TOKEN"],
    [{ WEB_CHAT_PUBLIC: "yes" }, "WEB_CHAT_PUBLIC"],
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ BOT_TIMEZONE: "Mars/Olympus" }, "BOT_TIMEZONE"],
    [{ UPDATES_MODE: "push" }, "UPDATES_MODE"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ WEBHOOK_SECRET: "short" }, "WEBHOOK_SECRET"],
    [{ TELEGRAM_API_ROOT: "not a url" }, "TELEGRAM_API_ROOT"],
    [{ QUIET_HOURS: "9pm-7am" }, "QUIET_HOURS"],
    [{ CATCH_UP_GRACE_HOURS: "-1" }, "CATCH_UP_GRACE_HOURS"],
    [{ TELEGRAM_RATE_PER_SECOND: "fast" }, "TELEGRAM_RATE_PER_SECOND"],
    [{ DELIVERY_CONCURRENCY: "0" }, "DELIVERY_CONCURRENCY"],
    [{ UPDATES_MODE: "webhook", TELEGRAM_BOT_TOKEN: "1:a", WEBHOOK_SECRET: "0123456789abcdef" }, "PUBLIC_URL"],
  ])("refuses %o with one line naming %s", (env, variable) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(variable);
    expect(message).not.toContain("\n");
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ PORT: "", TELEGRAM_BOT_TOKEN: "" }).PORT).toBe(3000);
  });
});
