import { describe, expect, it } from "vitest";
import { exitCodeFor } from "../../../src/report/report.js";
import type { Finding } from "../../../src/rules/registry.js";

const f = (severity: Finding["severity"]): Finding => ({
  code: "session.configured-mode-fails",
  severity,
  subject: "s",
  message: "m",
});

describe("exitCodeFor (DESIGN.md exit codes)", () => {
  it("fails on errors by default threshold", () => {
    expect(exitCodeFor([f("warning"), f("error")], "error")).toBe(1);
    expect(exitCodeFor([f("warning"), f("info")], "error")).toBe(0);
  });
  it("--fail-on warning also fails on warnings, not on info", () => {
    expect(exitCodeFor([f("warning")], "warning")).toBe(1);
    expect(exitCodeFor([f("info")], "warning")).toBe(0);
  });
  it("--fail-on never always passes", () => {
    expect(exitCodeFor([f("error")], "never")).toBe(0);
  });
});
