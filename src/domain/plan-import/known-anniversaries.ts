// National and union anniversaries plans celebrate, with their base dates: a dated mention is recognised by its
// base date, an undated one ("80 năm Cách mạng tháng Tám") by one of its names. Names are the plans' usual wording.

export interface KnownAnniversary {
  key: string;
  name: string;
  name_en: string;
  base_date: string;
  /** How plans name it (matched case-insensitively, any whitespace between words). */
  aliases: RegExp[];
}

const words = (source: string) => new RegExp(source.replace(/ /g, String.raw`\s+`), "iu");

export const KNOWN_ANNIVERSARIES: readonly KnownAnniversary[] = [
  {
    key: "thanh-lap-dang",
    name: "Ngày thành lập Đảng Cộng sản Việt Nam",
    name_en: "Founding of the Communist Party of Vietnam",
    base_date: "1930-02-03",
    aliases: [words("thành lập Đảng Cộng sản Việt Nam"), words("thành lập Đảng(?! bộ)"), words("Mừng Đảng")],
  },
  {
    key: "giai-phong-mien-nam",
    name: "Ngày giải phóng hoàn toàn miền Nam, thống nhất đất nước",
    name_en: "Complete liberation of the South and national reunification",
    base_date: "1975-04-30",
    aliases: [words("giải phóng (hoàn toàn )?miền Nam"), words("thống nhất đất nước")],
  },
  {
    key: "sinh-nhat-bac",
    name: "Ngày sinh Chủ tịch Hồ Chí Minh",
    name_en: "Birthday of President Ho Chi Minh",
    base_date: "1890-05-19",
    aliases: [words("(ngày )?sinh (của )?Chủ tịch Hồ Chí Minh"), words("sinh nhật Bác")],
  },
  {
    key: "cach-mang-thang-tam",
    name: "Cách mạng tháng Tám",
    name_en: "The August Revolution",
    base_date: "1945-08-19",
    aliases: [words("Cách mạng tháng Tám"), words("Cách mạng tháng 8")],
  },
  {
    key: "quoc-khanh",
    name: "Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam",
    name_en: "National Day of the Socialist Republic of Vietnam",
    base_date: "1945-09-02",
    aliases: [words("Quốc khánh"), words("thành lập nước Việt Nam Dân chủ Cộng hòa")],
  },
  {
    key: "thanh-lap-cong-doan",
    name: "Ngày thành lập Công đoàn Việt Nam",
    name_en: "Founding of the Vietnam Trade Union",
    base_date: "1929-07-28",
    aliases: [words("thành lập Công đoàn Việt Nam"), words("thành lập tổ chức Công đoàn Việt Nam"), words("Ngày truyền thống Công đoàn")],
  },
  {
    key: "quoc-te-lao-dong",
    name: "Ngày Quốc tế Lao động",
    name_en: "International Workers' Day",
    base_date: "1886-05-01",
    aliases: [words("Quốc tế Lao động")],
  },
  {
    key: "quoc-te-phu-nu",
    name: "Ngày Quốc tế Phụ nữ",
    name_en: "International Women's Day",
    base_date: "1910-03-08",
    aliases: [words("Quốc tế Phụ nữ")],
  },
  {
    key: "phu-nu-viet-nam",
    name: "Ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam",
    name_en: "Founding of the Vietnam Women's Union",
    base_date: "1930-10-20",
    aliases: [words("thành lập Hội Liên hiệp Phụ nữ Việt Nam"), words("Ngày Phụ nữ Việt Nam")],
  },
  {
    key: "thuong-binh-liet-si",
    name: "Ngày Thương binh - Liệt sĩ",
    name_en: "War Invalids and Martyrs' Day",
    base_date: "1947-07-27",
    aliases: [words("Thương binh[ ,-–]*Liệt sĩ")],
  },
  {
    key: "dien-bien-phu",
    name: "Chiến thắng Điện Biên Phủ",
    name_en: "Victory of Dien Bien Phu",
    base_date: "1954-05-07",
    aliases: [words("Chiến thắng Điện Biên Phủ")],
  },
  {
    key: "quan-doi-nhan-dan",
    name: "Ngày thành lập Quân đội nhân dân Việt Nam",
    name_en: "Founding of the Vietnam People's Army",
    base_date: "1944-12-22",
    aliases: [words("thành lập Quân đội nhân dân Việt Nam")],
  },
  {
    key: "thanh-lap-doan",
    name: "Ngày thành lập Đoàn Thanh niên Cộng sản Hồ Chí Minh",
    name_en: "Founding of the Ho Chi Minh Communist Youth Union",
    base_date: "1931-03-26",
    aliases: [words("thành lập Đoàn (Thanh niên Cộng sản|TNCS) Hồ Chí Minh")],
  },
  {
    key: "nha-giao-viet-nam",
    name: "Ngày Nhà giáo Việt Nam",
    name_en: "Vietnamese Teachers' Day",
    base_date: "1982-11-20",
    aliases: [words("Ngày Nhà giáo Việt Nam")],
  },
  {
    key: "thay-thuoc-viet-nam",
    name: "Ngày Thầy thuốc Việt Nam",
    name_en: "Vietnamese Physicians' Day",
    base_date: "1955-02-27",
    aliases: [words("Ngày Thầy thuốc Việt Nam")],
  },
];

export function knownAnniversaryByBaseDate(baseDate: string): KnownAnniversary | undefined {
  return KNOWN_ANNIVERSARIES.find((a) => a.base_date === baseDate);
}

/** The known anniversary `name` refers to, if one of its aliases occurs in it (the earliest occurrence wins). */
export function knownAnniversaryNamed(name: string): { anniversary: KnownAnniversary; index: number; length: number } | undefined {
  let best: { anniversary: KnownAnniversary; index: number; length: number } | undefined;
  for (const anniversary of KNOWN_ANNIVERSARIES) {
    for (const alias of anniversary.aliases) {
      const m = alias.exec(name);
      if (m && (!best || m.index < best.index)) best = { anniversary, index: m.index, length: m[0].length };
    }
  }
  return best;
}
