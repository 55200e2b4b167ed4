import { describe, expect, it } from "vitest";
import { capText } from "../../../src/text/cap.js";
import { escapeControl } from "../../../src/text/escape.js";

describe("escapeControl", () => {
  it("makes terminal escapes visible: OSC title, clear screen, BEL, C1 CSI, bidi overrides", () => {
    expect(escapeControl("a\u001b]0;title\u0007b")).toBe("a\\e]0;title\\x07b");
    expect(escapeControl("\u001b[2J")).toBe("\\e[2J");
    expect(escapeControl("x\u009b31m")).toBe("x\\x9b31m");
    expect(escapeControl("abc\u202egnp.exe")).toBe("abc\\u202egnp.exe");
    expect(escapeControl("\u007f")).toBe("\\x7f");
  });

  it("escapes newlines unless asked to keep them (one value, one line)", () => {
    expect(escapeControl("line1\nforged: line2\r")).toBe("line1\\nforged: line2\\r");
    expect(escapeControl("a\n\tb\u001b", { newlines: "keep" })).toBe("a\n\tb\\e");
  });

  it("leaves ordinary text, accents and emoji alone", () => {
    const t = "Grüße, 数据库 🐘 postgresql://u@h/d";
    expect(escapeControl(t)).toBe(t);
  });
});

describe("capText", () => {
  it("keeps short texts and cuts long ones with a marker saying how much was cut", () => {
    expect(capText("short", 10)).toBe("short");
    expect(capText("x".repeat(25), 10)).toBe(`${"x".repeat(10)}… [cut: 15 more characters]`);
  });

  it("never splits a surrogate pair", () => {
    const out = capText(`${"a".repeat(9)}🐘tail`, 10);
    expect(out.startsWith("a".repeat(9))).toBe(true);
    expect(out).not.toContain("\ud83d…");
    expect(out).toContain("[cut: 6 more characters]");
  });
});
