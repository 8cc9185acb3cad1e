// What the pledge conversation offers (issue 10.4): a unit's sector read from its names, the movements of the phase
// with the member's sector first, and only anniversaries still ahead in the phase.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readCampaignFile } from "../../src/campaign-files.js";
import type { CampaignDefinition } from "../../src/domain/campaign.js";
import { anniversariesAhead, movementsFor } from "../../src/domain/pledge-rules.js";
import { sectorOfUnit } from "../../src/domain/unit-sector.js";
import { REPO_ROOT } from "../db/helpers.js";

const laiChau = (() => {
  const r = readCampaignFile(path.join(REPO_ROOT, "prisma", "campaigns", "lai-chau-2025.yaml"));
  if (!r.ok) throw new Error(r.errors.join("\n"));
  return r.campaign as CampaignDefinition;
})();
const TZ = "Asia/Ho_Chi_Minh";

describe("sectorOfUnit", () => {
  it("reads the sector from the unit's name, else from its parents, nearest first", () => {
    expect(sectorOfUnit(["Công đoàn Công ty Điện lực Lai Châu, chi nhánh Tam Đường", "Liên đoàn Lao động tỉnh Lai Châu"])).toBe("enterprise");
    expect(sectorOfUnit(["Công đoàn cơ sở Trường THPT Thành phố Lai Châu", "Công đoàn Giáo dục tỉnh"])).toBe("public-sector");
    expect(sectorOfUnit(["Công đoàn Ngành Y tế"])).toBe("public-sector");
    expect(sectorOfUnit(["Công đoàn cơ sở số 3", "Công đoàn các Khu công nghiệp tỉnh"])).toBe("enterprise");
    expect(sectorOfUnit(["Liên đoàn Lao động tỉnh Lai Châu"])).toBeNull();
    expect(sectorOfUnit([])).toBeNull();
  });
});

describe("movementsFor", () => {
  const [phase1, phase2] = laiChau.phases as [CampaignDefinition["phases"][0], CampaignDefinition["phases"][0]];
  it("puts the member's sector first and offers a phase-tied movement only in its phase", () => {
    const enterprise = movementsFor(laiChau, phase1, "enterprise").map((m) => m.sector);
    expect(enterprise.indexOf("public-sector")).toBeGreaterThan(enterprise.lastIndexOf("enterprise"));
    const pub = movementsFor(laiChau, phase1, "public-sector");
    expect(pub[0]!.sector).toBe("public-sector");
    expect(pub.map((m) => m.key)).toContain("thang-cong-nhan");
    expect(movementsFor(laiChau, phase2, "public-sector").map((m) => m.key)).not.toContain("thang-cong-nhan");
    // Unknown sector: the plan's order.
    expect(movementsFor(laiChau, phase2, null).map((m) => m.key)).toEqual(laiChau.movements.filter((m) => m.key !== "thang-cong-nhan").map((m) => m.key));
  });
});

describe("anniversariesAhead", () => {
  it("offers only the anniversaries of the phase that are today or later", () => {
    const phase1 = laiChau.phases[0]!;
    expect(anniversariesAhead(laiChau, phase1, new Date("2025-01-10T03:00:00Z"), TZ).map((a) => a.key)).toEqual(["thanh-lap-dang", "giai-phong-mien-nam", "sinh-nhat-bac"]);
    expect(anniversariesAhead(laiChau, phase1, new Date("2025-05-19T03:00:00Z"), TZ).map((a) => a.key)).toEqual(["sinh-nhat-bac"]);
    expect(anniversariesAhead(laiChau, phase1, new Date("2025-05-20T03:00:00Z"), TZ)).toEqual([]);
  });
});
