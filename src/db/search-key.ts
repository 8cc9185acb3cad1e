// Folding for unit search, the same on every provider: lower-case, diacritics removed, đ/Đ → d, spaces collapsed.
// "Công đoàn Cơ sở" → "cong doan co so". Unit.searchKey holds foldForSearch(`${name} ${code}`), filled on import.

export function foldForSearch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

export function unitSearchKey(name: string, code: string): string {
  return foldForSearch(`${name} ${code}`);
}
