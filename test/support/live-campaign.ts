// A small, valid campaign whose phases sit around a given local date, for end-to-end tests that must not depend
// on what today's date happens to be relative to the bundled 2021/2025 plans.
import { stringify } from "yaml";
import { addDays, yearOf } from "../../src/domain/clock.js";

export function liveCampaignYaml(today: string, slug = "e2e-live"): string {
  const year = yearOf(today);
  return stringify({
    slug,
    code_prefix: `EE${String(year).slice(-2)}`,
    year,
    owner: { name: "Liên đoàn Lao động tỉnh Thử nghiệm", short_name: "LĐLĐ tỉnh Thử nghiệm" },
    title: "Kế hoạch thi đua thử nghiệm",
    theme: "Thi đua lao động giỏi, lao động sáng tạo",
    phases: [
      { number: 1, name: "Đợt 1", name_en: "Phase 1", start: addDays(today, -10), end: addDays(today, 20), theme: "Mừng Đảng quang vinh", theme_en: "Hail the Party", focus: "Chào mừng các ngày lễ lớn." },
      { number: 2, name: "Đợt 2", name_en: "Phase 2", start: addDays(today, 21), end: addDays(today, 60), theme: "Về đích sớm", theme_en: "Finish early", focus: "Hoàn thành vượt mức chỉ tiêu." },
    ],
    anniversaries: [{ key: "thanh-lap-cong-doan", name: "Ngày thành lập Công đoàn Việt Nam", name_en: "Founding of the Vietnam Trade Union", base_date: `1929-${addDays(today, 5).slice(5)}` }],
    titles: [{ key: "lao-dong-tien-tien", name: "Lao động tiên tiến", scope: "individual" }],
    works: { description: "Công trình, sản phẩm chào mừng." },
    initiatives: { description: "Sáng kiến cải tiến." },
    reporting: { after_each_phase: true, to: "LĐLĐ tỉnh", description: "Báo cáo kết quả sau mỗi đợt." },
  });
}
