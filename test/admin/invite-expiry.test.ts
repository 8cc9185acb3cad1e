// `invite create` states the expiry in the campaign clock's local time (BOT_TIMEZONE), not UTC (issue 10.7).
import path from "node:path";
import { rmSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { runCli } from "../../src/admin/cli.js";
import { COMMANDS } from "../../src/admin/commands.js";
import { formatDateVi, localDate, localTime } from "../../src/domain/clock.js";
import { FIXTURES, tempDir } from "../db/helpers.js";

const dir = tempDir("congdoan-invite-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("prints the expiry as a local date and time with its zone", async () => {
  for (const zone of ["Asia/Ho_Chi_Minh", "Asia/Tokyo"]) {
    const out: string[] = [];
    const io = { out: (l: string) => void out.push(l), err: () => undefined };
    const env = { DATABASE_URL: `file:${path.join(dir, "invite.db")}`, BOT_TIMEZONE: zone };
    expect(await runCli(["units", "import", path.join(FIXTURES, "units", "good.csv")], COMMANDS, io, env)).toBe(0);
    const before = Date.now();
    expect(await runCli(["invite", "create", "--role", "officer", "--unit", "CDGD", "--days", "3"], COMMANDS, io, env)).toBe(0);
    const expires = new Date(before + 3 * 86_400_000);
    const shown = `${formatDateVi(localDate(expires, zone))} ${localTime(expires, zone)} (${zone})`;
    expect(out.at(-2)).toMatch(new RegExp(`^officer invitation for Công đoàn Giáo dục tỉnh \\(CDGD\\), valid until \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d \\(${zone}\\); the person sends: /canbo `));
    // The same minute (or the next, if the clock turned between the two readings).
    const next = new Date(expires.getTime() + 60_000);
    expect([shown, `${formatDateVi(localDate(next, zone))} ${localTime(next, zone)} (${zone})`]).toContain(/valid until (.+?);/.exec(out.at(-2)!)![1]);
    expect(out.at(-2)).not.toContain("Z;");
  }
});
