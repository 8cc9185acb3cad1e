// Typed text made safe to keep and echo: NFC, no lone surrogates or NUL, clipped by code points.
import { describe, expect, it } from "vitest";
import { clip, typedText } from "../../src/domain/user-text.js";

describe("typedText", () => {
  it("replaces NUL, which PostgreSQL cannot store", () => {
    expect(typedText("/dangky\u0000")).toBe("/dangky\ufffd");
  });
  it("composes decomposed Vietnamese", () => {
    expect(typedText("Lò Văn Bình".normalize("NFD"))).toBe("Lò Văn Bình".normalize("NFC"));
  });
  it("replaces lone surrogates and keeps pairs", () => {
    expect(typedText("a\ud800b\udfffc")).toBe("a\ufffdb\ufffdc");
    expect(typedText("👍🏽 \ud83d")).toBe("👍🏽 \ufffd");
  });
});

describe("clip", () => {
  it("keeps short text as it is", () => {
    expect(clip("Lò Văn Bình", 50)).toBe("Lò Văn Bình");
  });
  it("counts code points, so an emoji is never cut in half", () => {
    const text = `a${"😀".repeat(60)}`;
    const clipped = clip(text, 50);
    expect(Array.from(clipped)).toHaveLength(50);
    expect(clipped).toBe(`a${"😀".repeat(49)}`);
    expect(/\p{Cs}/u.test(clipped)).toBe(false);
  });
});
