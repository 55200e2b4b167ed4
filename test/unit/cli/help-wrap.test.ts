// The wrap --help uses in the built CLI (src/cli/help-wrap.ts): breaks at spaces, never inside a word.
import { describe, expect, it } from "vitest";
import { textWidth, wrapWords } from "../../../src/cli/help-wrap.js";

describe("wrapWords", () => {
  it.each([
    // [text, width, wrapped]
    ["The variable that holds the connection string", 20, "The variable that\nholds the connection\nstring"],
    ["fits exactly", 12, "fits exactly"],
    ["fits exactly", 11, "fits\nexactly"],
    ["SKILLFLAW_DATABASE_URL is long", 10, "SKILLFLAW_DATABASE_URL\nis long"],
    ["a SKILLFLAW_DATABASE_URL b", 10, "a\nSKILLFLAW_DATABASE_URL\nb"],
    ["  0  nothing at or above --fail-on", 40, "  0  nothing at or above --fail-on"],
    ["  2  dbdoctor could not do its job", 20, "  2  dbdoctor could\nnot do its job"],
    ["first line\nsecond line that wraps", 12, "first line\nsecond line\nthat wraps"],
    ["trailing   ", 5, "trailing"],
    ["", 10, ""],
    ["no width", 0, "no width"],
  ] as Array<[string, number, string]>)("%j at %i", (text, width, wrapped) => {
    expect(wrapWords(text, width)).toBe(wrapped);
  });

  it("keeps every word whole and every line within the width unless a word alone is wider", () => {
    const text =
      "How to read a URL: as SQLAlchemy (SkillFlaw) does, or as libpq does. When to send credentials: safe = only where the application would, or over a verified channel";
    for (let width = 5; width <= 80; width++) {
      const out = wrapWords(text, width);
      expect(out.split(/\s+/)).toEqual(text.split(/\s+/));
      for (const line of out.split("\n"))
        if (line.includes(" ")) expect(textWidth(line), `"${line}" at ${width}`).toBeLessThanOrEqual(width);
    }
  });

  it("counts code points, not UTF-16 units", () => {
    expect(textWidth("3 × 4")).toBe(5);
    expect(textWidth("😀")).toBe(1);
  });
});
