import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCampaign } from "../../src/domain/campaign-parse.js";
import { formatAnniversaryVi } from "../../src/domain/calendar.js";
import { campaignEvents } from "../../src/domain/schedule.js";

const VN = "Asia/Ho_Chi_Minh";
function load(file: string) {
  const parsed = parseCampaign(file, readFileSync(new URL(`../../prisma/campaigns/${file}`, import.meta.url), "utf8"));
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return parsed.campaign;
}

describe("campaign events", () => {
  it("Lai Châu 2025: every event on its day at 08:00 local", () => {
    const events = campaignEvents(load("lai-chau-2025.yaml"), VN);
    const table = events.map((e) => `${e.at.toISOString()} ${e.type} ${e.audience} ${e.key.replace("lai-chau-2025:", "")}`);
    expect(table).toEqual([
      "2025-01-01T01:00:00.000Z launch all launch",
      "2025-01-08T01:00:00.000Z pledge-reminder members-without-pledge pledge-reminder:1:start",
      "2025-01-31T01:00:00.000Z anniversary-heads-up officers anniversary-heads-up:thanh-lap-dang",
      "2025-02-03T01:00:00.000Z anniversary all anniversary:thanh-lap-dang",
      "2025-04-27T01:00:00.000Z anniversary-heads-up officers anniversary-heads-up:giai-phong-mien-nam",
      "2025-04-30T01:00:00.000Z anniversary all anniversary:giai-phong-mien-nam",
      "2025-05-16T01:00:00.000Z anniversary-heads-up officers anniversary-heads-up:sinh-nhat-bac",
      "2025-05-19T01:00:00.000Z anniversary all anniversary:sinh-nhat-bac",
      "2025-06-16T01:00:00.000Z phase-end-reminder officers phase-end:1:14",
      "2025-06-23T01:00:00.000Z phase-end-reminder officers phase-end:1:7",
      "2025-06-23T01:00:00.000Z pledge-reminder members-without-pledge pledge-reminder:1:end",
      "2025-06-27T01:00:00.000Z phase-end-reminder officers phase-end:1:3",
      "2025-06-29T01:00:00.000Z phase-end-reminder officers phase-end:1:1",
      "2025-07-01T01:00:00.000Z phase-start all phase-start:2",
      "2025-07-08T01:00:00.000Z pledge-reminder members-without-pledge pledge-reminder:2:start",
      "2025-07-25T01:00:00.000Z anniversary-heads-up officers anniversary-heads-up:thanh-lap-cong-doan",
      "2025-07-28T01:00:00.000Z anniversary all anniversary:thanh-lap-cong-doan",
      "2025-08-16T01:00:00.000Z anniversary-heads-up officers anniversary-heads-up:cach-mang-thang-tam",
      "2025-08-19T01:00:00.000Z anniversary all anniversary:cach-mang-thang-tam",
      "2025-08-30T01:00:00.000Z anniversary-heads-up officers anniversary-heads-up:quoc-khanh",
      "2025-09-02T01:00:00.000Z anniversary all anniversary:quoc-khanh",
      "2025-12-17T01:00:00.000Z phase-end-reminder officers phase-end:2:14",
      "2025-12-24T01:00:00.000Z phase-end-reminder officers phase-end:2:7",
      "2025-12-24T01:00:00.000Z pledge-reminder members-without-pledge pledge-reminder:2:end",
      "2025-12-28T01:00:00.000Z phase-end-reminder officers phase-end:2:3",
      "2025-12-30T01:00:00.000Z phase-end-reminder officers phase-end:2:1",
    ]);
    const bac = events.find((e) => e.key.endsWith("anniversary:sinh-nhat-bac"))!;
    expect(formatAnniversaryVi(bac.anniversary!)).toBe("Kỷ niệm 135 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/05/1890 – 19/05/2025)");
    expect(bac.sameDayOnly).toBe(true);
  });

  it("Bắc Kạn 2021: anniversaries with their computed ordinals", () => {
    const anniversaries = campaignEvents(load("bac-kan-2021.yaml"), VN).filter((e) => e.type === "anniversary");
    expect(anniversaries.map((e) => `${e.date} ${formatAnniversaryVi(e.anniversary!)}`)).toEqual([
      "2021-02-03 Kỷ niệm 91 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2021)",
      "2021-04-30 Kỷ niệm 46 năm Ngày giải phóng hoàn toàn miền Nam, thống nhất đất nước (30/04/1975 – 30/04/2021)",
      "2021-05-19 Kỷ niệm 131 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/05/1890 – 19/05/2021)",
      "2021-07-28 Kỷ niệm 92 năm Ngày thành lập Công đoàn Việt Nam (28/07/1929 – 28/07/2021)",
      "2021-08-19 Kỷ niệm 76 năm Ngày Cách mạng Tháng Tám thành công (19/08/1945 – 19/08/2021)",
      "2021-09-02 Kỷ niệm 76 năm Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam (02/09/1945 – 02/09/2021)",
    ]);
  });

  it("report deadlines where a phase has one, and the greeting time of the plan", () => {
    const def = load("lai-chau-2025.yaml");
    const withReport = { ...def, greeting_time: "07:30", phases: def.phases.map((p) => (p.number === 1 ? { ...p, report_due: "2025-07-10" } : p)) };
    const reports = campaignEvents(withReport, VN).filter((e) => e.type === "report-due");
    expect(reports.map((e) => [e.at.toISOString(), e.daysLeft])).toEqual([
      ["2025-07-07T00:30:00.000Z", 3],
      ["2025-07-10T00:30:00.000Z", 0],
    ]);
  });
});
