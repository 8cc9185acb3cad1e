// Rolling a plan over to a new year (issue 10.6): the pure rule on the bundled plans and on edge cases, and the admin
// command end to end (a child process on a temp SQLite file: rollover --out, then campaign load of what it wrote).
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readCampaignFile } from "../../src/campaign-files.js";
import { anniversariesOf } from "../../src/domain/calendar.js";
import type { CampaignDefinition } from "../../src/domain/campaign.js";
import { rolloverCampaign, rolloverSlug } from "../../src/domain/campaign-rollover.js";
import { REPO_ROOT, tempDir } from "../db/helpers.js";

const bundled = (name: string): CampaignDefinition => {
  const r = readCampaignFile(path.join(REPO_ROOT, "prisma", "campaigns", name));
  if (!r.ok) throw new Error(r.errors.join("\n"));
  return r.campaign;
};

describe("rolloverCampaign", () => {
  it("moves Lai Châu 2025 to 2026: dates, slug, code prefix, title year; ordinals follow the year", () => {
    const { campaign, notes, errors } = rolloverCampaign(bundled("lai-chau-2025.yaml"), 2026);
    expect(errors).toEqual([]);
    expect(campaign.slug).toBe("lai-chau-2026");
    expect(campaign.code_prefix).toBe("LC26");
    expect(campaign.year).toBe(2026);
    expect(campaign.title).toContain("năm 2026");
    expect(campaign.phases.map((p) => [p.start, p.end])).toEqual([
      ["2026-01-01", "2026-06-30"],
      ["2026-07-01", "2026-12-31"],
    ]);
    const party = anniversariesOf(campaign).find((a) => a.key === "thanh-lap-dang")!;
    expect([party.ordinal, party.date]).toEqual([96, "2026-02-03"]);
    // The plan's own words naming 2025 or "95 năm" stay, and are reported for review.
    expect(notes).toContain("phases[1].theme: mentions 2025; check the text");
    expect(notes.some((n) => n.startsWith("phases[0].focus:"))).toBe(true);
  });

  it("reports a date that does not exist in the new year and a phase crossing the year", () => {
    const base = bundled("bac-kan-2021.yaml");
    const def: CampaignDefinition = {
      ...base,
      year: 2024,
      code_prefix: "BK24",
      slug: "bac-kan-2024",
      phases: [
        { ...base.phases[0]!, start: "2024-01-01", end: "2024-02-29" },
        { ...base.phases[1]!, start: "2024-12-01", end: "2025-01-31", report_due: "2025-02-10" },
      ],
    };
    const { campaign, notes, errors } = rolloverCampaign(def, 2025);
    expect(errors).toEqual([]);
    expect(campaign.phases[0]!.end).toBe("2025-02-28");
    expect(notes).toContain("phases[0].end: 2024-02-29 does not exist in 2025; moved to 2025-02-28");
    expect(notes).toContain("phases[1]: crosses the year boundary (2024-12-01 – 2025-01-31); moved whole to 2025-12-01 – 2026-01-31, check it");
    expect(campaign.phases[1]!.report_due).toBe("2026-02-10");
  });

  it("refuses a year that makes an anniversary impossible, naming it", () => {
    const base = bundled("lai-chau-2025.yaml");
    const def = { ...base, anniversaries: [...base.anniversaries, { key: "moi", name: "Ngày mới", base_date: "2010-05-01" }] };
    const { errors } = rolloverCampaign(def, 2010);
    expect(errors).toContain("anniversaries[6].base_date: 2010-05-01 must be before the campaign year 2010");
  });

  it("slugs: the old year is replaced, else the new one appended", () => {
    expect(rolloverSlug("lai-chau-2025", 2025, 2026)).toBe("lai-chau-2026");
    expect(rolloverSlug("2025-plan", 2025, 2026)).toBe("2026-plan");
    expect(rolloverSlug("lai-chau", 2025, 2026)).toBe("lai-chau-2026");
  });
});

describe("npm run admin -- campaign rollover", () => {
  const dir = tempDir("congdoan-rollover-");
  const url = `file:${path.join(dir, "admin.db")}`;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const admin = (...args: string[]) => {
    const r = spawnSync("npx", ["tsx", "scripts/admin.ts", ...args], { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: url }, encoding: "utf8", timeout: 60_000 });
    const lines = (t: string) => t.split("\n").filter((l) => l !== "" && !l.startsWith("npm warn") && !l.startsWith("applied migration"));
    return { code: r.status, out: lines(r.stdout), err: lines(r.stderr) };
  };

  it("writes the new year's plan (notes on stderr), which campaign load accepts; bad input exits 1", () => {
    expect(admin("campaign", "load", path.join(REPO_ROOT, "prisma", "campaigns", "lai-chau-2025.yaml")).code).toBe(0);
    const out = path.join(dir, "lai-chau-2026.yaml");
    const rolled = admin("campaign", "rollover", "lai-chau-2025", "--year", "2026", "--out", out);
    expect(rolled.code).toBe(0);
    expect(rolled.out).toEqual([`wrote lai-chau-2026 (LC26) to ${out}; check it, then: campaign load ${out}`]);
    expect(rolled.err).toContain("lai-chau-2025 → lai-chau-2026: phases[1].theme: mentions 2025; check the text");
    expect(readFileSync(out, "utf8")).toContain("start: 2026-07-01");
    expect(admin("campaign", "load", out).out).toEqual([expect.stringMatching(/^created lai-chau-2026: 2 phases, 6 anniversaries$/)]);
    // Without --out it is loaded directly (an update here: same slug).
    expect(admin("campaign", "rollover", "lai-chau-2025", "--year", "2026").out).toEqual(["updated lai-chau-2026 (LC26): 2 phases"]);
    expect(admin("campaign", "rollover", "nope-2025", "--year", "2026")).toMatchObject({ code: 1, err: ["unknown campaign: nope-2025 (see: campaign list)"] });
    expect(admin("campaign", "rollover", "lai-chau-2025", "--year", "26")).toMatchObject({ code: 1, err: ['--year must be a year such as 2026, got "26"'] });
  }, 120_000);
});
