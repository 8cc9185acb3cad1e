// extractPlan() on the seed plans (.txt) and the news-style excerpts, in-process: the values, where each was found
// (spans into the returned source text), what is flagged for a person to check, and the YAML draft that loads.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { translator } from "../../../src/app/i18n.js";
import { describeCheck } from "../../../src/app/plan-check-text.js";
import { parseCampaign } from "../../../src/domain/campaign-parse.js";
import { draftToYaml } from "../../../src/domain/plan-import/draft-yaml.js";
import { extractPlan, type PlanExtraction } from "../../../src/domain/plan-import/extract-plan.js";
import { findDateMentions } from "../../../src/domain/plan-import/plan-dates.js";
import { lineColumnAt } from "../../../src/domain/plan-import/source-span.js";
import { cleanValue } from "../../../src/domain/plan-import/text-tools.js";
import { PLAN_FIXTURES, REPO_ROOT, compareFields, expectedFromCampaignYaml, expectedFromJson, score } from "./plan-score.js";

const vi = translator("vi");
const read = (name: string) => readFileSync(path.join(PLAN_FIXTURES, name), "utf8");
const toYaml = (x: PlanExtraction) =>
  draftToYaml(x, { describe: (r) => describeCheck(r, vi), lineLabel: (line) => vi("planImport.line", { line }), header: ["test"] });
const finding = (x: PlanExtraction, ...path: (string | number)[]) => x.findings.find((f) => f.path.join(".") === path.join("."));
const slice = (x: PlanExtraction, span: { start: number; end: number } | undefined) => (span ? x.source.slice(span.start, span.end) : undefined);

const SEEDS = [
  { file: "lai-chau-2025.txt", yaml: "lai-chau-2025.yaml" },
  { file: "bac-kan-2021.txt", yaml: "bac-kan-2021.yaml" },
];

describe.each(SEEDS)("seed $file", ({ file, yaml }) => {
  const x = extractPlan(read(file));
  const expected = expectedFromCampaignYaml(path.join(REPO_ROOT, "prisma", "campaigns", yaml));

  it("reproduces the shipped campaign's year, theme, phases and anniversaries field by field", () => {
    const results = compareFields(expected, x.draft);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(score(results).percent).toBe(100);
    const shipped = parseCampaign(yaml, readFileSync(path.join(REPO_ROOT, "prisma", "campaigns", yaml), "utf8"));
    if (!shipped.ok) throw new Error("shipped YAML invalid");
    expect(x.draft.slug).toBe(shipped.campaign.slug);
    expect(x.draft.code_prefix).toBe(shipped.campaign.code_prefix);
    expect(x.draft.owner).toEqual({ name: shipped.campaign.owner.name, short_name: shipped.campaign.owner.short_name });
    expect(x.draft.title).toBe(shipped.campaign.title);
    expect(x.draft.phases.map((p) => p.anniversaries)).toEqual(shipped.campaign.phases.map((p) => p.anniversaries));
    expect(x.draft.reporting.after_each_phase).toBe(true);
    expect(x.draft.reporting.to).toBe(shipped.campaign.reporting.to);
    expect(x.draft.works.plaque).toBe(shipped.campaign.works.plaque);
    expect(x.warnings).toEqual([]);
  });

  it("every span lies in the source and points at the value it gave", () => {
    for (const f of x.findings) {
      if (!f.span) continue;
      expect(f.span.start, f.path.join(".")).toBeGreaterThanOrEqual(0);
      expect(f.span.end, f.path.join(".")).toBeGreaterThan(f.span.start);
      expect(f.span.end, f.path.join(".")).toBeLessThanOrEqual(x.source.length);
    }
    expect(cleanValue(slice(x, finding(x, "theme")!.span)!)).toBe(x.draft.theme);
    x.draft.phases.forEach((p, i) => {
      expect(cleanValue(slice(x, finding(x, "phases", i, "theme")!.span)!)).toBe(p.theme);
      expect(slice(x, finding(x, "phases", i, "name")!.span)).toBe(p.name);
      for (const field of ["start", "end"] as const) {
        const written = slice(x, finding(x, "phases", i, field)!.span)!;
        expect(findDateMentions(written)).toHaveLength(1);
      }
    });
    (x.draft.anniversaries ?? []).forEach((a, i) => {
      const written = slice(x, finding(x, "anniversaries", i, "base_date")!.span)!;
      const [mention] = findDateMentions(written);
      expect(mention?.parsed).toMatchObject({ ok: true, shape: { year: Number(a.base_date.slice(0, 4)) } });
    });
    expect(slice(x, finding(x, "year")!.span)).toBe(String(x.draft.year));
  });

  it("the same plan typed in NFD or with CRLF line ends gives the same draft", () => {
    expect(extractPlan(read(file).normalize("NFD")).draft).toEqual(x.draft);
    expect(extractPlan(read(file).replace(/\n/g, "\r\n")).draft).toEqual(x.draft);
  });

  it("writes YAML that campaign load accepts, with a # KIỂM TRA comment on each field to check", () => {
    const text = toYaml(x);
    const parsed = parseCampaign("draft.yaml", text);
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    const checked = x.findings.filter((f) => f.checks.length > 0);
    expect(checked.length).toBeGreaterThan(0);
    expect(text.match(/# KIỂM TRA: /g)!.length).toBeGreaterThanOrEqual(checked.length);
    // The standard titles are flagged: the plan names none.
    expect(text).toMatch(/# KIỂM TRA: kế hoạch không nêu tên danh hiệu[^\n]*\ntitles:/);
  });
});

describe("seed details", () => {
  it("Lai Châu: the theme written in italics without quotes is found, and flagged", () => {
    const x = extractPlan(read("lai-chau-2025.txt"));
    expect(finding(x, "theme")!.checks).toEqual([{ code: "theme-not-quoted" }]);
    expect(x.draft.movements!.map((m) => [m.name, m.kind, m.sector])).toEqual([
      ["Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về đoàn kết, xây dựng Đảng bộ và hệ thống chính trị trong sạch, vững mạnh, góp phần quan trọng tổ chức thành công Đại hội Đảng các cấp nhiệm kỳ 2025-2030", "study-topic", "public-sector"],
      ["Người tốt, việc tốt", "movement", "public-sector"],
      ["Tham mưu giỏi, phục vụ tốt", "movement", "public-sector"],
      ["Cả nước chung sức xây dựng nông thôn mới", "movement", "public-sector"],
      ["Vì người nghèo, không để bị bỏ lại phía sau", "movement", "public-sector"],
      ["Đẩy mạnh cải cách hành chính", "movement", "public-sector"],
      ["Lao động giỏi, lao động sáng tạo", "movement", "enterprise"],
      ["Ôn lý thuyết, luyện tay nghề, thi thợ giỏi", "movement", "enterprise"],
      ["Sáng - Xanh - Sạch - Đẹp", "movement", "enterprise"],
      ["Tháng Công nhân", "movement", "all"],
    ]);
    // Đợt 1 names “Tháng Công nhân”, as the shipped file ties it.
    expect(x.draft.phases.map((p) => p.movements)).toEqual([["thang-cong-nhan"], undefined]);
    // Standard titles plus those its movements imply, as the shipped file has them.
    expect(x.draft.titles.map((t) => t.key)).toContain("tho-gioi");
  });

  it("Bắc Kạn: owner from “LĐLĐ tỉnh” + the province the plan names, month-only start, phase theme = first sentence — all flagged", () => {
    const x = extractPlan(read("bac-kan-2021.txt"));
    expect(finding(x, "owner", "name")!.checks).toEqual([{ code: "guessed", from: "tỉnh Bắc Kạn" }]);
    expect(finding(x, "phases", 0, "start")!.checks).toEqual([{ code: "date-inferred", how: "first-day-of-month" }]);
    expect(slice(x, finding(x, "phases", 0, "start")!.span)).toBe("tháng 01/2021");
    expect(finding(x, "phases", 1, "theme")!.checks).toEqual([{ code: "phase-theme-first-sentence" }]);
    const movements = x.draft.movements!.map((m) => `${m.kind}: ${m.name}`);
    expect(movements).toContain("campaign-drive: Cán bộ, công chức, viên chức Bắc Kạn nói không với tiêu cực");
    expect(movements).toContain("study-topic: Nâng cao chất lượng đội ngũ cán bộ Công đoàn cơ sở");
    expect(movements).toContain("movement: Xanh - sạch - đẹp, bảo đảm an toàn vệ sinh lao động");
    expect(movements).not.toContain("movement: Tất cả mọi đoàn viên và người lao động đều có Tết"); // a motto (phương châm)
    const line = lineColumnAt(x.source, finding(x, "phases", 0, "name")!.span!.start);
    expect(x.source.split("\n")[line.line - 1]).toContain("Đợt 1, (từ tháng 01/2021");
  });
});

const NEWS = ["dien-bien-2025", "tphcm-2026", "bac-giang-2021", "quang-ninh-2024", "quang-tri-2025", "khanh-hoa-2026"];

describe("news-style excerpts", () => {
  it.each(NEWS)("%s: at least 95% of the fields right", (name) => {
    const expected = expectedFromJson(path.join(PLAN_FIXTURES, "news", `${name}.expected.json`));
    const x = extractPlan(read(`news/${name}.txt`), expected.date ? { documentDate: expected.date } : {});
    const results = compareFields(expected, x.draft);
    expect(score(results).percent, JSON.stringify(results.filter((r) => !r.ok))).toBeGreaterThanOrEqual(95);
    const parsed = parseCampaign(`${name}.yaml`, toYaml(x));
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });

  it("a stated ordinal that does not add up is reported, not kept silently (90 năm for the Trade Union in 2021)", () => {
    const x = extractPlan(read("news/bac-giang-2021.txt"));
    const mismatch = x.warnings.find((w) => w.reason.code === "ordinal-mismatch");
    expect(mismatch?.reason).toEqual({ code: "ordinal-mismatch", stated: 90, computed: 92 });
    expect(slice(x, mismatch!.span)).toContain("90 năm Ngày thành lập Công đoàn Việt Nam (28/7/1929 - 28/7/2021)");
    const i = x.draft.anniversaries!.findIndex((a) => a.key === "thanh-lap-cong-doan");
    expect(toYaml(x)).toContain(
      `# KIỂM TRA: kế hoạch ghi 90 năm, nhưng tính từ năm gốc đến năm của kế hoạch là 92 năm (dòng 5)\n    base_date: 1929-07-28`,
    );
    expect(i).toBeGreaterThanOrEqual(0);
    // Titles the plan names after "danh hiệu" replace the standard list.
    expect(x.draft.titles.map((t) => t.key)).toEqual(["lao-dong-tien-tien", "chien-si-thi-dua-co-so", "tap-the-lao-dong-xuat-sac"]);
    expect(finding(x, "titles")).toBeUndefined();
  });

  it("anniversaries named without dates get their base date from the built-in list, flagged", () => {
    const x = extractPlan(read("news/tphcm-2026.txt"), { documentDate: "2026-03-10" });
    const byKey = Object.fromEntries(x.draft.anniversaries!.map((a, i) => [a.key, finding(x, "anniversaries", i, "base_date")!]));
    expect(byKey["cach-mang-thang-tam"]!.checks).toEqual([{ code: "base-date-from-list" }]);
    expect(byKey["quoc-khanh"]!.checks).toEqual([{ code: "base-date-from-list" }]);
    expect(slice(x, byKey["quoc-khanh"]!.span)).toBe("Quốc khánh");
    expect(byKey["quoc-te-lao-dong"]!.checks).toEqual([]);
    expect(x.draft.owner).toEqual({ name: "Liên đoàn Lao động TP HCM", short_name: "LĐLĐ TP HCM" });
    expect([x.draft.slug, x.draft.code_prefix]).toEqual(["hcm-2026", "HCM26"]);
    expect(x.draft.movements!.map((m) => `${m.kind}: ${m.name}`)).toEqual(["campaign-drive: Mỗi công nhân một sáng kiến"]);
  });

  it("“từ nay” without --date: the start is refused with the reason, a placeholder keeps the YAML loadable", () => {
    const x = extractPlan(read("news/dien-bien-2025.txt"));
    const start = finding(x, "phases", 0, "start")!;
    expect(start.status).toBe("default");
    expect(start.checks).toEqual([{ code: "date-refused", written: "từ nay", refusal: { reason: "needs-document-date" } }]);
    const yaml = toYaml(x);
    expect(yaml).toContain("# KIỂM TRA: “từ nay”: “từ nay” cần ngày của văn bản: chạy lại với --date yyyy-mm-dd");
    const parsed = parseCampaign("d.yaml", yaml);
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });

  it("a phase date that does not exist (31/02) is refused with the reason and flagged", () => {
    const text = "Liên đoàn Lao động tỉnh Hà Giang phát động phong trào thi đua năm 2027 với chủ đề “Thi đua”. Đợt 1 (từ 01/01/2027 đến 31/02/2027) với chủ đề “Mừng Xuân”. Đợt 2 (từ 01/3/2027 đến 31/12/2027) với chủ đề “Về đích”.";
    const x = extractPlan(text);
    expect(finding(x, "phases", 0, "end")!.checks).toEqual([
      { code: "date-refused", written: "31/02/2027", refusal: { reason: "no-such-day", day: 31, month: 2, year: 2027 } },
    ]);
    expect(x.warnings.map((w) => w.reason.code)).toContain("date-refused");
    expect(toYaml(x)).toContain("# KIỂM TRA: “31/02/2027”: tháng 2 năm 2027 không có ngày 31");
    expect(x.draft.phases.map((p) => p.theme)).toEqual(["Mừng Xuân", "Về đích"]);
    // The placeholder keeps the phases in order, so the draft still loads.
    expect(x.draft.phases[0]!.end).toBe("2027-02-28");
    const parsed = parseCampaign("p.yaml", toYaml(x));
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });

  it("a second phase whose start cannot be read (no --date for “từ nay”) starts the day after the first ends", () => {
    const x = extractPlan("LĐLĐ tỉnh Lào Cai phát động phong trào thi đua năm 2026 với chủ đề “Bứt phá”. Đợt 1 (từ 01/01/2026 đến 31/3/2026) với chủ đề “Mừng Xuân”. Đợt 2 (từ nay đến 30/9/2026) với chủ đề “Về đích”.");
    expect(x.draft.phases.map((p) => [p.start, p.end])).toEqual([["2026-01-01", "2026-03-31"], ["2026-04-01", "2026-09-30"]]);
    expect(finding(x, "phases", 1, "start")!.status).toBe("default");
    const parsed = parseCampaign("p.yaml", toYaml(x));
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });

  it("an undated anniversary the built-in list does not know is reported, not dropped", () => {
    const x = extractPlan("Liên đoàn Lao động tỉnh Hòa Bình phát động phong trào thi đua năm 2025 với chủ đề “Về đích”. Đợt 1 (từ 01/01/2025 đến 30/6/2025) chào mừng kỷ niệm 70 năm Ngày truyền thống ngành Y tế tỉnh và kỷ niệm 95 năm thành lập Đảng.");
    expect(x.warnings).toEqual([{ reason: { code: "undated-anniversary", written: "70 năm Ngày truyền thống ngành Y tế tỉnh" }, span: expect.anything() }]);
    expect(slice(x, x.warnings[0]!.span)).toBe("70 năm Ngày truyền thống ngành Y tế tỉnh");
    expect(x.draft.anniversaries!.map((a) => a.key)).toEqual(["thanh-lap-dang"]);
  });

  it("a plan of the national federation; a text with no plan in it still gives a loadable draft, every field flagged", () => {
    const national = extractPlan("Tổng Liên đoàn Lao động Việt Nam phát động phong trào thi đua năm 2028 với chủ đề “Đổi mới”. Giai đoạn 1 từ 1/1/2028 đến 30/6/2028.");
    expect(national.draft.owner).toEqual({ name: "Tổng Liên đoàn Lao động Việt Nam", short_name: "Tổng LĐLĐ Việt Nam" });
    expect(national.draft.code_prefix).toBe("TLD28");
    const empty = extractPlan("Thông báo lịch nghỉ Tết.");
    const parsed = parseCampaign("e.yaml", toYaml(empty));
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    expect(finding(empty, "theme")!.checks).toEqual([{ code: "not-found" }]);
    expect(finding(empty, "phases", 0, "start")!.status).toBe("default");
  });
});

describe("ways plans write their phases", () => {
  const phasesOf = (text: string) => extractPlan(text).draft.phases.map((p) => [p.name, p.start, p.end, p.theme]);

  it.each([
    {
      label: "straight quotes, a colon and an en dash",
      text: 'LĐLĐ tỉnh Nghệ An phát động phong trào thi đua năm 2026 với chủ đề "Lao động sáng tạo". Đợt 1: từ 15/3 – 30/4/2026, chủ đề "Mừng Đảng". Đợt 2: từ 01/5/2026 – 31/12/2026, chủ đề "Về đích".',
      phases: [["Đợt 1", "2026-03-15", "2026-04-30", "Mừng Đảng"], ["Đợt 2", "2026-05-01", "2026-12-31", "Về đích"]],
    },
    {
      label: "Roman numerals, “từ ngày … đến ngày …”, the theme quoted right after the dates",
      text: "Liên đoàn Lao động thành phố Hà Nội phát động thi đua năm 2025. Chủ đề: “Hà Nội vươn mình”. Giai đoạn I (từ ngày 01/01/2025 đến ngày 30/6/2025): “Mừng Đảng, mừng Xuân”. Giai đoạn II (từ ngày 01/7/2025 đến ngày 31/12/2025): “Về đích”.",
      phases: [["Giai đoạn 1", "2025-01-01", "2025-06-30", "Mừng Đảng, mừng Xuân"], ["Giai đoạn 2", "2025-07-01", "2025-12-31", "Về đích"]],
    },
    {
      label: "“đợt thi đua thứ nhất / thứ hai”, the start without its year",
      text: "Liên đoàn Lao động tỉnh Bà Rịa - Vũng Tàu phát động phong trào thi đua năm 2024 với chủ đề “Tăng tốc”. Đợt thi đua thứ nhất (từ 01/01 đến 30/6/2024) với chủ đề “Mừng Xuân”; đợt thi đua thứ hai (từ 01/7 đến 31/12/2024) với chủ đề “Về đích”.",
      phases: [["Đợt 1", "2024-01-01", "2024-06-30", "Mừng Xuân"], ["Đợt 2", "2024-07-01", "2024-12-31", "Về đích"]],
    },
  ])("$label", ({ text, phases }) => {
    expect(phasesOf(text)).toEqual(phases);
  });

  it("“giai đoạn 2021 - 2026” (a span of years) and “các đợt thi đua” are not phases", () => {
    const x = extractPlan(read("bac-kan-2021.txt"));
    expect(x.draft.phases.map((p) => p.name)).toEqual(["Đợt 1", "Đợt 2"]);
    expect(x.draft.owner.short_name).toBe("LĐLĐ tỉnh Bắc Kạn");
    expect(extractPlan("Liên đoàn Lao động tỉnh Bà Rịa - Vũng Tàu phát động thi đua năm 2024.").draft.code_prefix).toBe("BRVT24");
  });
});
