// The units CSV checks on their own (no database): formats, header, and line numbers.
import { describe, expect, it } from "vitest";
import { validateUnitsCsv } from "../../src/admin/units-csv.js";

const none = new Map<string, string | null>();

describe("units CSV", () => {
  it("accepts CRLF line endings, columns in any order, spaces around values and quoted commas", () => {
    const text =
      "\uFEFFname , code,member_count,parent_code\r\n" +
      '"Công đoàn A, chi nhánh 1", A , 12 ,\r\n' +
      "Công đoàn B,B,0,A\r\n";
    expect(validateUnitsCsv("u.csv", text, none)).toEqual({
      rows: [
        { code: "A", name: "Công đoàn A, chi nhánh 1", parentCode: null, memberCount: 12 },
        { code: "B", name: "Công đoàn B", parentCode: "A", memberCount: 0 },
      ],
      errors: [],
    });
  });

  it("a parent may be a stored unit", () => {
    const text = "code,name,parent_code,member_count\nB,Công đoàn B,ROOT,1\n";
    expect(validateUnitsCsv("u.csv", text, new Map([["ROOT", null]])).errors).toEqual([]);
    expect(validateUnitsCsv("u.csv", text, none).errors).toEqual([
      'u.csv: line 2: parent_code "ROOT" is neither in the file nor in the database',
    ]);
  });

  it("an empty file, a header alone, and a broken quote are errors", () => {
    expect(validateUnitsCsv("u.csv", "", none).errors).toEqual([
      "u.csv: line 1: the file is empty; expected the header code,name,parent_code,member_count",
    ]);
    expect(validateUnitsCsv("u.csv", "\uFEFFcode,name,parent_code,member_count\n", none).errors).toEqual([
      "u.csv: line 1: no units after the header",
    ]);
    const broken = validateUnitsCsv("u.csv", 'code,name,parent_code,member_count\nA,"unclosed,,1\n', none).errors;
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatch(/^u\.csv: line \d+: /);
  });

  it("reports several problems of one row, each on its own line, and a member count beyond INTEGER", () => {
    const text = "code,name,parent_code,member_count\n,,,x\nA,A,,99999999999\n";
    expect(validateUnitsCsv("u.csv", text, none).errors).toEqual([
      "u.csv: line 2: code is missing",
      "u.csv: line 2: name is missing",
      'u.csv: line 2: member_count "x" is not a non-negative integer',
      'u.csv: line 3: member_count "99999999999" is not a non-negative integer',
    ]);
  });

  it("a cycle anywhere in a longer chain names every unit on it", () => {
    const text = "code,name,parent_code,member_count\nA,A,B,1\nB,B,C,1\nC,C,A,1\nD,D,A,1\n";
    expect(validateUnitsCsv("u.csv", text, none).errors).toEqual([
      "u.csv: line 2: parent cycle: A → B → C → A",
      "u.csv: line 3: parent cycle: B → C → A → B",
      "u.csv: line 4: parent cycle: C → A → B → C",
    ]);
  });
});
