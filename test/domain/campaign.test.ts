import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it, expect } from "vitest";
import { parse, stringify } from "yaml";
import { CampaignSchema, type CampaignDefinition } from "../../src/domain/campaign.js";
import { parseCampaign } from "../../src/domain/campaign-parse.js";

const campaignsDir = fileURLToPath(new URL("../../prisma/campaigns/", import.meta.url));
const readText = (name: string) => readFileSync(campaignsDir + name, "utf8");
const LAI_CHAU = "lai-chau-2025.yaml";
const BAC_KAN = "bac-kan-2021.yaml";

function load(name: string): CampaignDefinition {
  const result = parseCampaign(name, readText(name));
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result.campaign;
}

/** Every string inside a value, with its path. */
function strings(value: unknown, path = ""): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  }
  return [];
}

// Raw YAML data of a good file, to break one thing and re-serialise.
type RawCampaign = Record<string, any>;
function raw(name = LAI_CHAU): RawCampaign {
  return parse(readText(name)) as RawCampaign;
}
function errorsOf(data: unknown, fileName = "x.yaml"): string[] {
  const result = parseCampaign(fileName, stringify(data));
  return result.ok ? [] : result.errors;
}
function broken(mutate: (c: RawCampaign) => void, name = LAI_CHAU, fileName = "x.yaml"): string[] {
  const c = raw(name);
  mutate(c);
  return errorsOf(c, fileName);
}

describe("the real campaign files", () => {
  it("load without problems", () => {
    for (const name of [LAI_CHAU, BAC_KAN]) {
      const result = parseCampaign(name, readText(name));
      expect(result.ok ? [] : result.errors).toEqual([]);
      expect(result.ok).toBe(true);
    }
  });

  it("Lai Châu 2025: owner, theme, two phases with their themes and dates", () => {
    const c = load(LAI_CHAU);
    expect(c.slug).toBe("lai-chau-2025");
    expect(c.code_prefix).toBe("LC25");
    expect(c.year).toBe(2025);
    expect(c.owner).toEqual({ name: "Liên đoàn Lao động tỉnh Lai Châu", short_name: "LĐLĐ tỉnh Lai Châu" });
    expect(c.theme).toBe(
      "Quyết tâm đổi mới, sáng tạo, nâng cao năng suất lao động, hiệu quả công tác, chào mừng Đại hội Đảng bộ các " +
        "cấp tiến tới Đại hội XV Đảng bộ tỉnh Lai Châu và Đại hội đại biểu toàn quốc lần thứ XIV của Đảng, Đại hội " +
        "Thi đua yêu nước các cấp, Đại hội Thi đua yêu nước toàn quốc lần thứ XI",
    );
    expect(c.phases.map((p) => [p.number, p.name, p.start, p.end, p.theme])).toEqual([
      [1, "Đợt 1", "2025-01-01", "2025-06-30", "Mừng Đảng quang vinh - Mừng Sinh nhật Bác"],
      [2, "Đợt 2", "2025-07-01", "2025-12-31", "Thi đua cao điểm hoàn thành toàn diện và vượt mức chỉ tiêu nhiệm vụ năm 2025"],
    ]);
    expect(c.phases[0]!.focus).toMatch(/^Các phong trào thi đua tập trung hướng về chào mừng/);
    expect(c.phases[0]!.focus).toContain("“Tháng Công nhân”");
    expect(c.phases[0]!.movements).toEqual(["thang-cong-nhan"]);
    expect(c.phases[1]!.focus).toMatch(/nhiệm kỳ 2026 - 2031\.$/);
  });

  it("Lai Châu 2025: six anniversaries with base dates, split between the phases", () => {
    const c = load(LAI_CHAU);
    expect(Object.fromEntries(c.anniversaries.map((a) => [a.key, a.base_date]))).toEqual({
      "thanh-lap-dang": "1930-02-03",
      "giai-phong-mien-nam": "1975-04-30",
      "sinh-nhat-bac": "1890-05-19",
      "cach-mang-thang-tam": "1945-08-19",
      "quoc-khanh": "1945-09-02",
      "thanh-lap-cong-doan": "1929-07-28",
    });
    expect(c.anniversaries.map((a) => c.year - Number(a.base_date.slice(0, 4)))).toEqual([95, 50, 135, 80, 80, 96]);
    expect(c.anniversaries[0]!.name).toBe("Ngày thành lập Đảng Cộng sản Việt Nam");
    expect(c.phases[0]!.anniversaries).toEqual(["thanh-lap-dang", "giai-phong-mien-nam", "sinh-nhat-bac"]);
    expect(c.phases[1]!.anniversaries).toEqual(["cach-mang-thang-tam", "quoc-khanh", "thanh-lap-cong-doan"]);
  });

  it("Lai Châu 2025: movements by sector, titles, works, initiatives, reporting", () => {
    const c = load(LAI_CHAU);
    const bySector = (s: string) => c.movements.filter((m) => m.sector === s).map((m) => m.key);
    expect(bySector("public-sector")).toEqual([
      "chuyen-de-2025",
      "nguoi-tot-viec-tot",
      "tham-muu-gioi-phuc-vu-tot",
      "nong-thon-moi",
      "vi-nguoi-ngheo",
      "cai-cach-hanh-chinh",
    ]);
    expect(bySector("enterprise")).toEqual([
      "lao-dong-gioi-lao-dong-sang-tao",
      "thi-tho-gioi",
      "sang-xanh-sach-dep",
      "doanh-nghiep-van-hoa",
    ]);
    expect(bySector("all")).toEqual(["thang-cong-nhan"]);
    expect(c.movements.find((m) => m.key === "chuyen-de-2025")!.kind).toBe("study-topic");
    expect(c.movements.find((m) => m.key === "sang-xanh-sach-dep")!.name).toBe("Sáng - Xanh - Sạch - Đẹp");
    const titles = c.titles.map((t) => t.name);
    for (const t of ["Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Chiến sĩ thi đua cấp tỉnh", "Lao động giỏi", "Lao động sáng tạo"]) {
      expect(titles).toContain(t);
    }
    expect(c.titles.filter((t) => t.scope === "collective").map((t) => t.name)).toEqual([
      "Tập thể lao động tiên tiến",
      "Tập thể lao động xuất sắc",
      "Cờ thi đua của Ủy ban nhân dân tỉnh",
      "Cờ thi đua của Liên đoàn Lao động tỉnh",
    ]);
    expect(c.works.plaque).toBe(false);
    expect(c.works.description).toContain("các công trình, phần việc, sản phẩm chào mừng");
    expect(c.initiatives.description).toContain("phát huy sáng kiến");
    expect(c.reporting.after_each_phase).toBe(true);
    expect(c.reporting.to).toBe("LĐLĐ tỉnh Lai Châu (qua Ban Chính sách pháp luật và Quan hệ lao động)");
    expect(c.reporting.description).toContain("Sau mỗi đợt thi đua");
  });

  it("Bắc Kạn 2021: theme, phases (Đợt 1 from 1 January), anniversaries 91/46/131/92/76/76", () => {
    const c = load(BAC_KAN);
    expect(c.slug).toBe("bac-kan-2021");
    expect(c.code_prefix).toBe("BK21");
    expect(c.year).toBe(2021);
    expect(c.owner.short_name).toBe("LĐLĐ tỉnh Bắc Kạn");
    expect(c.theme).toBe("Tận dụng cơ hội, vượt mọi khó khăn, nỗ lực phấn đấu, đưa Nghị quyết của Đảng vào cuộc sống");
    expect(c.phases.map((p) => [p.number, p.name, p.start, p.end])).toEqual([
      [1, "Đợt 1", "2021-01-01", "2021-06-30"],
      [2, "Đợt 2", "2021-07-01", "2021-12-31"],
    ]);
    expect(c.phases[0]!.theme).toMatch(/^Tuyên truyền, học tập, quán triệt thực hiện nghị quyết đại hội Đảng các cấp/);
    expect(c.phases[0]!.focus).toMatch(/^Thi đua chào mừng kỷ niệm 91 năm Ngày thành lập Đảng Cộng sản Việt Nam/);
    expect(c.phases[1]!.theme).toMatch(/^Quyết tâm, nỗ lực đưa nghị quyết đại hội Đảng các cấp.* vào cuộc sống$/);
    expect(c.phases[1]!.focus).toMatch(/^Chào mừng kỷ niệm 92 năm ngày thành lập Công đoàn Việt Nam/);
    expect(c.anniversaries.map((a) => c.year - Number(a.base_date.slice(0, 4)))).toEqual([91, 46, 131, 92, 76, 76]);
    expect(c.phases[0]!.anniversaries).toEqual(["thanh-lap-dang", "giai-phong-mien-nam", "sinh-nhat-bac"]);
    expect(c.phases[1]!.anniversaries).toEqual(["thanh-lap-cong-doan", "cach-mang-thang-tam", "quoc-khanh"]);
  });

  it("Bắc Kạn 2021: movements, contest, plaque, initiatives, reporting after each phase", () => {
    const c = load(BAC_KAN);
    expect(c.movements).toHaveLength(14);
    expect(c.movements.every((m) => m.sector === "all")).toBe(true);
    expect(c.movements.find((m) => m.kind === "contest")!.name).toBe(
      "Hội thi sáng tạo kỹ thuật tỉnh Bắc Kạn lần thứ 6 (2020-2021)",
    );
    expect(c.movements.filter((m) => m.kind === "campaign-drive").map((m) => m.key)).toEqual([
      "noi-khong-voi-tieu-cuc",
      "hoc-tap-lam-theo-bac",
    ]);
    expect(c.titles.map((t) => t.key)).toContain("gioi-viec-nuoc-dam-viec-nha");
    expect(c.works.plaque).toBe(true);
    expect(c.works.description).toContain("gắn biển");
    expect(c.initiatives.description).toContain("“Đoàn kết sáng tạo” năm 2021");
    expect(c.reporting).toEqual({
      after_each_phase: true,
      to: "LĐLĐ tỉnh Bắc Kạn",
      description:
        "LĐLĐ tỉnh đề nghị các cấp công đoàn triển khai thực hiện, báo cáo kết quả về LĐLĐ tỉnh sau khi kết thúc mỗi đợt thi đua.",
    });
  });

  it("are NFC throughout, have English for names and themes, and store no anniversary ordinals", () => {
    for (const name of [LAI_CHAU, BAC_KAN]) {
      const text = readText(name);
      expect(text.normalize("NFC") === text, name).toBe(true);
      const c = load(name);
      for (const [path, s] of strings(c)) {
        expect(s.normalize("NFC") === s, `${name} ${path}`).toBe(true);
        expect(s, `${name} ${path}`).not.toMatch(/\n|\s{2}|^\s|\s$/);
      }
      expect(c.title_en && c.theme_en).toBeTruthy();
      for (const p of c.phases) expect(p.name_en && p.theme_en, `${name} phase ${p.number}`).toBeTruthy();
      for (const a of c.anniversaries) {
        expect(a.name_en, a.key).toBeTruthy();
        expect(a.name).not.toMatch(/kỷ niệm|\d+ năm/i);
      }
      for (const t of c.titles) expect(t.name_en, t.key).toBeTruthy();
      // The YAML core schema keeps unquoted dates as strings.
      expect(typeof (parse(text) as RawCampaign).phases[0].start).toBe("string");
      // The exported schema (with its cross-field rules) accepts the parsed definition as it is.
      expect(CampaignSchema.safeParse(c).success).toBe(true);
    }
  });
});

describe("cross-field problems: one exact message each", () => {
  it("a phase ending before it starts", () => {
    expect(broken((c) => (c.phases[1].end = "2021-06-01"), BAC_KAN, BAC_KAN)).toEqual([
      "bac-kan-2021.yaml: phases[1].end 2021-06-01 is before phases[1].start 2021-07-01",
    ]);
  });

  it("overlapping phases", () => {
    expect(broken((c) => (c.phases[1].start = "2025-06-15"))).toEqual([
      "x.yaml: phases[1].start 2025-06-15 overlaps phases[0] (2025-01-01 – 2025-06-30)",
    ]);
  });

  it("phases out of date order", () => {
    expect(
      broken((c) => {
        c.phases[1].start = "2024-07-01";
        c.phases[1].end = "2024-12-31";
      }),
    ).toEqual(["x.yaml: phases[1].start 2024-07-01 is before phases[0].start 2025-01-01: list phases in date order"]);
  });

  it("phases may cross into the next year", () => {
    expect(broken((c) => (c.phases[1].end = "2026-03-31"))).toEqual([]);
  });

  it("a phase far from the campaign year", () => {
    expect(broken((c) => (c.phases[1].end = "2052-12-31"))).toEqual([
      "x.yaml: phases[1].end 2052-12-31 is more than a year away from the campaign year 2025",
    ]);
  });

  it("phase numbering", () => {
    expect(broken((c) => (c.phases[1].number = 3))).toEqual(["x.yaml: phases[1].number is 3, expected 2"]);
  });

  it("an unknown anniversary reference", () => {
    expect(broken((c) => c.phases[0].anniversaries.push("foo"))).toEqual([
      'x.yaml: phases[0].anniversaries[3] "foo" is not a key in anniversaries',
    ]);
    expect(broken((c) => (c.phases[0].anniversaries[2] = "foo"))).toEqual([
      'x.yaml: phases[0].anniversaries[2] "foo" is not a key in anniversaries',
    ]);
  });

  it("an anniversary listed twice, or by two phases", () => {
    expect(broken((c) => c.phases[0].anniversaries.push("thanh-lap-dang"))).toEqual([
      'x.yaml: phases[0].anniversaries[3] "thanh-lap-dang" is a duplicate',
    ]);
    expect(broken((c) => c.phases[1].anniversaries.push("thanh-lap-dang"))).toEqual([
      'x.yaml: phases[1].anniversaries[3] "thanh-lap-dang" is already celebrated by phases[0]',
    ]);
  });

  it("an unknown movement reference", () => {
    expect(broken((c) => (c.phases[1].movements = ["thang-lao-dong"]))).toEqual([
      'x.yaml: phases[1].movements[0] "thang-lao-dong" is not a key in movements',
    ]);
  });

  it("duplicate keys in anniversaries, movements and titles", () => {
    // The renamed anniversary's old key is then missing, which is a second problem.
    expect(broken((c) => (c.anniversaries[3].key = "thanh-lap-dang"))).toEqual([
      'x.yaml: anniversaries[3].key "thanh-lap-dang" is a duplicate',
      'x.yaml: phases[1].anniversaries[0] "cach-mang-thang-tam" is not a key in anniversaries',
    ]);
    expect(broken((c) => (c.movements[2].key = "nguoi-tot-viec-tot"))).toEqual([
      'x.yaml: movements[2].key "nguoi-tot-viec-tot" is a duplicate',
    ]);
    expect(broken((c) => c.titles.push({ ...c.titles[0] }))).toEqual([
      'x.yaml: titles[10].key "lao-dong-tien-tien" is a duplicate',
    ]);
  });

  it("a base date not before the campaign year", () => {
    expect(broken((c) => (c.anniversaries[0].base_date = "2026-01-01"))).toEqual([
      "x.yaml: anniversaries[0].base_date 2026-01-01 must be before the campaign year 2025",
    ]);
    expect(broken((c) => (c.anniversaries[0].base_date = "2025-01-01"))).toEqual([
      "x.yaml: anniversaries[0].base_date 2025-01-01 must be before the campaign year 2025",
    ]);
  });

  it("a launch date after the last phase, a report due before its phase ends", () => {
    expect(broken((c) => (c.launch_date = "2025-01-10"))).toEqual([]);
    expect(broken((c) => (c.launch_date = "2026-01-05"))).toEqual([
      "x.yaml: launch_date 2026-01-05 is after the last phase ends (phases[1].end 2025-12-31)",
    ]);
    expect(broken((c) => (c.phases[0].report_due = "2025-07-10"))).toEqual([]);
    expect(broken((c) => (c.phases[0].report_due = "2025-06-01"))).toEqual([
      "x.yaml: phases[0].report_due 2025-06-01 is before phases[0].end 2025-06-30",
    ]);
  });

  it("a code prefix for another year", () => {
    expect(broken((c) => (c.code_prefix = "LC24"))).toEqual([
      'x.yaml: code_prefix "LC24" must end with 25, the last two digits of year 2025',
    ]);
  });

  it("reports every problem, not just the first", () => {
    const errors = broken((c) => {
      delete c.phases[0].theme;
      c.phases[1].number = 3;
      c.phases[1].start = "2025-06-15";
      c.anniversaries[0].base_date = "2026-01-01";
    });
    expect(errors).toEqual([
      "x.yaml: phases[0].theme is required",
      "x.yaml: anniversaries[0].base_date 2026-01-01 must be before the campaign year 2025",
      "x.yaml: phases[1].number is 3, expected 2",
      "x.yaml: phases[1].start 2025-06-15 overlaps phases[0] (2025-01-01 – 2025-06-30)",
    ]);
  });

  it("the exported CampaignSchema applies the same rules", () => {
    const c = load(LAI_CHAU);
    const bad = { ...c, phases: [c.phases[0]!, { ...c.phases[1]!, start: "2025-06-15" }] };
    const result = CampaignSchema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["phases.1.start", "2025-06-15 overlaps phases[0] (2025-01-01 – 2025-06-30)"],
    ]);
  });
});

describe("field problems: one exact message each", () => {
  it("a missing field", () => {
    expect(broken((c) => delete c.phases[0].theme)).toEqual(["x.yaml: phases[0].theme is required"]);
    expect(broken((c) => delete c.reporting)).toEqual(["x.yaml: reporting is required"]);
    expect(broken((c) => (c.theme = null))).toEqual(["x.yaml: theme is required"]);
  });

  it("a wrong type", () => {
    expect(broken((c) => (c.year = "2025"))).toEqual(["x.yaml: year must be a number"]);
    expect(broken((c) => (c.year = 2025.5))).toEqual(["x.yaml: year must be a whole number"]);
    expect(broken((c) => (c.works.plaque = "có"))).toEqual(["x.yaml: works.plaque must be true or false"]);
    expect(broken((c) => (c.phases = { number: 1 }))).toEqual(["x.yaml: phases must be a list"]);
    expect(broken((c) => (c.owner = "LĐLĐ tỉnh Lai Châu"))).toEqual(["x.yaml: owner must be a mapping"]);
  });

  it("an invalid date", () => {
    expect(broken((c) => (c.phases[0].start = "2025-02-30"))).toEqual([
      'x.yaml: phases[0].start "2025-02-30" is not a valid date (YYYY-MM-DD)',
    ]);
    expect(broken((c) => (c.anniversaries[1].base_date = "30/4/1975"))).toEqual([
      'x.yaml: anniversaries[1].base_date "30/4/1975" is not a valid date (YYYY-MM-DD)',
    ]);
    expect(broken((c) => (c.phases[1].end = 20251231))).toEqual([
      "x.yaml: phases[1].end 20251231 is not a valid date (YYYY-MM-DD)",
    ]);
  });

  it("an unknown enum value", () => {
    expect(broken((c) => (c.movements[0].sector = "private"))).toEqual([
      'x.yaml: movements[0].sector "private" must be one of all, public-sector, enterprise',
    ]);
    expect(broken((c) => (c.titles[0].scope = "person"))).toEqual([
      'x.yaml: titles[0].scope "person" must be one of individual, collective',
    ]);
  });

  it("an unknown field (e.g. a misspelt one)", () => {
    expect(broken((c) => (c.phases[0].them = "x"))).toEqual(["x.yaml: phases[0].them is not a known field"]);
  });

  it("empty text, bad keys and formats, out-of-range numbers, empty lists", () => {
    expect(broken((c) => (c.title = "   "))).toEqual(["x.yaml: title must not be empty"]);
    expect(broken((c) => (c.movements[0].key = "Chuyên đề"))).toEqual([
      'x.yaml: movements[0].key "Chuyên đề" must be lower-case letters, digits and dashes',
    ]);
    expect(broken((c) => (c.code_prefix = "lc25"))).toEqual([
      'x.yaml: code_prefix "lc25" must be 2–5 capital letters and 2 digits, e.g. LC25',
    ]);
    expect(broken((c) => (c.greeting_time = "8h"))).toEqual(['x.yaml: greeting_time "8h" must be HH:MM']);
    expect(broken((c) => (c.phases[1].number = 0))).toEqual([
      "x.yaml: phases[1].number 0 must be more than 0",
      "x.yaml: phases[1].number is 0, expected 2",
    ]);
    expect(broken((c) => (c.titles = []))).toEqual(["x.yaml: titles must list at least one title"]);
    expect(broken((c) => (c.phases = []))).toEqual(["x.yaml: phases must list at least one phase"]);
  });
});

describe("the file as a whole", () => {
  it("a YAML syntax error gives its line", () => {
    const result = parseCampaign("x.yaml", "slug: x\nyear: 2025\nslug: y\n");
    expect(result).toEqual({ ok: false, errors: ["x.yaml: line 3: Map keys must be unique"] });
    const unclosed = parseCampaign("x.yaml", "slug: x\nphases: [1\nyear: 2025\n");
    expect(unclosed.ok).toBe(false);
    if (!unclosed.ok) expect(unclosed.errors[0]).toMatch(/^x\.yaml: line 3: .*\S$/);
  });

  it("the top level must be a mapping", () => {
    for (const text of ["- a\n- b\n", "just text\n", "", "# only a comment\n"]) {
      expect(parseCampaign("x.yaml", text)).toEqual({
        ok: false,
        errors: ["x.yaml: the file must be a mapping of campaign fields"],
      });
    }
  });

  it("normalises decomposed (NFD) Vietnamese to NFC", () => {
    const c = raw();
    c.theme = c.theme.normalize("NFD");
    c.phases[0].theme = c.phases[0].theme.normalize("NFD");
    const text = stringify(c);
    expect(text.normalize("NFC") === text).toBe(false);
    const result = parseCampaign("x.yaml", text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.campaign.theme).toBe(load(LAI_CHAU).theme);
    expect(result.campaign.phases[0]!.theme).toBe("Mừng Đảng quang vinh - Mừng Sinh nhật Bác");
    for (const [path, s] of strings(result.campaign)) expect(s.normalize("NFC") === s, path).toBe(true);
  });

  it("applies defaults for optional fields", () => {
    const result = parseCampaign(
      "x.yaml",
      [
        "slug: mini-2025",
        "code_prefix: MN25",
        "year: 2025",
        "owner: { name: Liên đoàn Lao động tỉnh X, short_name: LĐLĐ tỉnh X }",
        "title: Kế hoạch",
        "theme: Chủ đề",
        "phases:",
        "  - { number: 1, name: Đợt 1, start: 2025-01-01, end: 2025-12-31, theme: Chủ đề đợt, focus: Nội dung }",
        "titles: [{ key: lao-dong-tien-tien, name: Lao động tiên tiến, scope: individual }]",
        "works: { description: Công trình }",
        "initiatives: { description: Sáng kiến }",
        'reporting: { after_each_phase: false, to: LĐLĐ tỉnh, description: "Báo cáo: cuối năm" }',
      ].join("\n"),
    );
    expect(result.ok ? [] : result.errors).toEqual([]);
    if (!result.ok) return;
    expect(result.campaign.greeting_time).toBe("08:00");
    expect(result.campaign.anniversaries).toEqual([]);
    expect(result.campaign.movements).toEqual([]);
    expect(result.campaign.phases[0]!.anniversaries).toEqual([]);
    expect(result.campaign.works.plaque).toBe(false);
    expect(result.campaign.reporting.description).toBe("Báo cáo: cuối năm");
  });
});
