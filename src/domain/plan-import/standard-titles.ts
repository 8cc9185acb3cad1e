// Emulation titles (danh hiệu thi đua): the standard ones of the Luật Thi đua, khen thưởng that a plan asks members
// to pledge for when it names none, and union titles that go with particular movements.
import type { TitleDefinition } from "../campaign.js";

export const STANDARD_TITLES: readonly TitleDefinition[] = [
  { key: "lao-dong-tien-tien", name: "Lao động tiên tiến", name_en: "Advanced Worker", scope: "individual" },
  { key: "chien-si-thi-dua-co-so", name: "Chiến sĩ thi đua cơ sở", name_en: "Grassroots Emulation Fighter", scope: "individual" },
  { key: "chien-si-thi-dua-cap-tinh", name: "Chiến sĩ thi đua cấp tỉnh", name_en: "Provincial Emulation Fighter", scope: "individual" },
  { key: "tap-the-lao-dong-tien-tien", name: "Tập thể lao động tiên tiến", name_en: "Advanced Labour Collective", scope: "collective" },
  { key: "tap-the-lao-dong-xuat-sac", name: "Tập thể lao động xuất sắc", name_en: "Excellent Labour Collective", scope: "collective" },
  { key: "co-thi-dua-ubnd-tinh", name: "Cờ thi đua của Ủy ban nhân dân tỉnh", name_en: "Emulation Flag of the Provincial People's Committee", scope: "collective" },
  { key: "co-thi-dua-ldld-tinh", name: "Cờ thi đua của Liên đoàn Lao động tỉnh", name_en: "Emulation Flag of the Provincial Labour Federation", scope: "collective" },
];

/** Union titles that go with a movement the plan names (matched in the movement's name). */
export const MOVEMENT_TITLES: readonly { movement: RegExp; titles: TitleDefinition[] }[] = [
  {
    movement: /lao\s+động\s+giỏi/iu,
    titles: [{ key: "lao-dong-gioi", name: "Lao động giỏi", name_en: "Good Worker", scope: "individual" }],
  },
  {
    movement: /lao\s+động\s+sáng\s+tạo/iu,
    titles: [{ key: "lao-dong-sang-tao", name: "Lao động sáng tạo", name_en: "Creative Worker", scope: "individual" }],
  },
  {
    movement: /thợ\s+giỏi/iu,
    titles: [{ key: "tho-gioi", name: "Thợ giỏi", name_en: "Skilled Worker", scope: "individual" }],
  },
  {
    movement: /giỏi\s+việc\s+nước,?\s+đảm\s+việc\s+nhà/iu,
    titles: [
      { key: "gioi-viec-nuoc-dam-viec-nha", name: "Giỏi việc nước, đảm việc nhà", name_en: "Excellent at work, capable at home", scope: "individual" },
    ],
  },
];

/** Every title this module knows, for recognising the ones a plan names after "danh hiệu". */
export const KNOWN_TITLES: readonly TitleDefinition[] = [...STANDARD_TITLES, ...MOVEMENT_TITLES.flatMap((m) => m.titles)];
