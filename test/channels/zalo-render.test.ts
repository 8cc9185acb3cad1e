// OutgoingMessage → Zalo texts: numbered choices and clean splitting under the 2000-character limit.
import { describe, expect, it } from "vitest";
import { renderForZalo, splitText } from "../../src/channels/zalo/render.js";
import { ZALO_TEXT_LIMIT } from "../../src/channels/zalo/types.js";

const words = (texts: string[]) => texts.join(" ").split(/\s+/).filter(Boolean);

describe("renderForZalo", () => {
  it("documents the platform limit: 2000 characters", () => {
    expect(ZALO_TEXT_LIMIT).toBe(2000);
  });

  it("short text is one message; choices become a numbered list after a blank line, then the hint in the reader's language", () => {
    expect(renderForZalo({ text: "Xin chào" })).toEqual(["Xin chào"]);
    const choices = [{ label: "A", value: "a" }, { label: "B", value: "b" }, { label: "C", value: "c" }];
    expect(renderForZalo({ text: "Chọn:", choices })).toEqual(["Chọn:\n\n1. A\n2. B\n3. C\nTrả lời bằng số thứ tự để chọn."]);
    expect(renderForZalo({ text: "Chọn:", choices, locale: "vi" })).toEqual(["Chọn:\n\n1. A\n2. B\n3. C\nTrả lời bằng số thứ tự để chọn."]);
    expect(renderForZalo({ text: "Choose:", choices, locale: "en" })).toEqual(["Choose:\n\n1. A\n2. B\n3. C\nReply with a number to choose."]);
  });

  it("text of exactly the limit is not split; one more character is", () => {
    expect(renderForZalo({ text: "a ".repeat(999) + "bb" })).toHaveLength(1);
    expect(renderForZalo({ text: "a ".repeat(1000) + "b" })).toHaveLength(2);
  });

  it("when the list does not fit next to the last piece it gets a message of its own, still last", () => {
    const text = "x".repeat(35) + "\n" + "y".repeat(38);
    const out = renderForZalo({ text, choices: [{ label: "One", value: "1" }], locale: "en" }, 40);
    expect(out).toEqual(["x".repeat(35), "y".repeat(38), "1. One\nReply with a number to choose."]);
  });
});

describe("splitText", () => {
  it("prefers paragraphs, then lines, then spaces, and keeps indentation", () => {
    const text = "Đợt 1: 01/01 – 30/06\n   Chủ đề: “Mừng Đảng”\n\nĐợt 2: 01/07 – 31/12\n   Chủ đề: “Về đích”";
    expect(splitText(text, 45)).toEqual(["Đợt 1: 01/01 – 30/06\n   Chủ đề: “Mừng Đảng”", "Đợt 2: 01/07 – 31/12\n   Chủ đề: “Về đích”"]);
    expect(splitText("một dòng\nhai dòng ba dòng", 16)).toEqual(["một dòng", "hai dòng ba dòng"]);
  });

  it("never cuts inside a word when there is a space to cut at", () => {
    const text = Array.from({ length: 400 }, (_, i) => `từ${i}`).join(" ");
    const pieces = splitText(text, 97);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(97);
    expect(words(pieces)).toEqual(text.split(" "));
  });

  it("a run longer than the limit is cut hard but never between the halves of a surrogate pair", () => {
    const text = "🎉".repeat(30); // 60 UTF-16 code units
    const pieces = splitText(text, 7);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(7);
      expect(piece).toMatch(/^(?:🎉)+$/u);
    }
    expect(pieces.join("")).toBe(text);
  });

  it("drops nothing but the separators it cuts at", () => {
    const text = "Thi đua yêu nước 🇻🇳\n\n" + "Lao động giỏi, lao động sáng tạo. ".repeat(200);
    const pieces = splitText(text);
    expect(pieces.length).toBe(4);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(2000);
    expect(words(pieces)).toEqual(words([text]));
  });
});
