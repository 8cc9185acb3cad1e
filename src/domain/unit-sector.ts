// Which sector of a plan's movements a union unit belongs to: the plans split them into "khu vực hành chính, sự
// nghiệp" (public-sector) and "khối doanh nghiệp" (enterprise). Units carry no sector field (the CSV has only code,
// name, parent and member count), so it is read from the names of the unit and its parents, nearest first: the
// usual words of a Vietnamese union unit's name say it (Công ty, Doanh nghiệp, Nhà máy … / Trường, Bệnh viện, Sở,
// Ngành Giáo dục …). Unknown when no name says it; the movement list is then in the plan's order.
import type { SECTORS } from "./campaign.js";

export type Sector = Exclude<(typeof SECTORS)[number], "all">;

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/gi, "d").toLowerCase();

const ENTERPRISE = /\b(cong ty|tong cong ty|tap doan|doanh nghiep|nha may|xi nghiep|hop tac xa|khu cong nghiep|khu kinh te|ngan hang|tnhh|co phan)\b/;
const PUBLIC_SECTOR = /\b(truong|giao duc|y te|benh vien|so [a-z]|ban [a-z]|uy ban|ubnd|vien [a-z]|hanh chinh|su nghiep|vien chuc|cong chuc|co quan|kho bac|toa an|kiem sat|thue|hai quan|xa [a-z]|phuong|huyen|tinh uy)/;

/** The sector named by the first of `names` (the unit, then its parents) that names one; null when none does. */
export function sectorOfUnit(names: readonly string[]): Sector | null {
  for (const name of names) {
    // "cơ sở" (grassroots) is in most unit names and says nothing about the sector.
    const folded = fold(name).replace(/\bco so\b/g, " ");
    if (ENTERPRISE.test(folded)) return "enterprise";
    if (PUBLIC_SECTOR.test(folded)) return "public-sector";
  }
  return null;
}
