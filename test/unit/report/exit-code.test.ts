// The one exit-code function (DESIGN.md exit codes) over both kinds of report.
import { describe, expect, it } from "vitest";
import { exitCode } from "../../../src/report/kinds.js";
import type { Finding } from "../../../src/rules/registry.js";
import { loadAuditFixture, loadFixture } from "./fixtures.js";

const f = (severity: Finding["severity"]): Finding => ({
  code: "session.configured-mode-fails",
  severity,
  subject: "s",
  message: "m",
});

/** A single-setting report holding exactly these findings. */
const report = (...severities: Finding["severity"][]) => ({
  ...loadFixture("certs"),
  findings: severities.map(f),
});

/** An audit report whose findings are split between a setting and the file findings. */
function audit(setting: Finding["severity"][], files: Finding["severity"][]) {
  const base = loadAuditFixture();
  const first = base.settings[0];
  if (!first) throw new Error("the audit fixture has settings");
  return { ...base, settings: [{ ...first, findings: setting.map(f) }], fileFindings: files.map(f) };
}

describe("exitCode (DESIGN.md exit codes)", () => {
  it("fails on errors by default threshold", () => {
    expect(exitCode(report("warning", "error"), "error")).toBe(1);
    expect(exitCode(report("warning", "info"), "error")).toBe(0);
  });
  it("--fail-on warning also fails on warnings, not on info", () => {
    expect(exitCode(report("warning"), "warning")).toBe(1);
    expect(exitCode(report("info"), "warning")).toBe(0);
  });
  it("--fail-on never always passes", () => {
    expect(exitCode(report("error"), "never")).toBe(0);
  });
  it("counts an audit's setting findings and file findings alike", () => {
    expect(exitCode(audit(["error"], []), "error")).toBe(1);
    expect(exitCode(audit([], ["error"]), "error")).toBe(1);
    expect(exitCode(audit(["warning"], ["info"]), "error")).toBe(0);
    expect(exitCode(audit([], ["warning"]), "warning")).toBe(1);
    expect(exitCode(audit(["error"], ["error"]), "never")).toBe(0);
  });
});
