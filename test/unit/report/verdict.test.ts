// The verdict comes from the root cause (issue 13): the earliest finding of the worst severity in pipeline order,
// its fix, network symptoms linked to it, and never "no sslmode works" while a mode is undecided.
import { describe, expect, it } from "vitest";
import type { ModeResult } from "../../../src/model/mode.js";
import { makeReport } from "../../../src/report/build.js";
import { renderMarkdown } from "../../../src/report/renderers/markdown.js";
import { renderText } from "../../../src/report/renderers/text.js";
import type { Report } from "../../../src/report/report.js";
import { judge } from "../../../src/rules/registry.js";
import { fromEnvFile, stageFacts } from "../../helpers/conninfo.js";
import { assertValidReport } from "../../helpers/schema.js";

const skipped = { status: "skipped", reason: "test" } as const;
const input = {
  source: { kind: "env-file", file: ".env", line: 3, variable: "SKILLFLAW_DATABASE_URL" },
  redacted: "postgresql://user:********@localhost:5432/dbname",
  urlStyle: "sqlalchemy",
  libpqMajor: 17,
} as const;

function report(findings: Report["findings"], modes: ModeResult[] = [], summary?: string): Report {
  return makeReport("check", {
    input,
    conninfo: null,
    files: skipped,
    server: skipped,
    modes,
    findings,
    timings: {},
    ...(summary ? { summary } : {}),
  });
}

const mode = (sslmode: ModeResult["sslmode"], ok: boolean | null, credentialsSent = ok === true): ModeResult => ({
  sslmode,
  ok,
  stage: ok === null ? "auth" : "session",
  credentialsSent,
});

describe("the verdict from the root cause", () => {
  it("an unescaped '@' is the root, the DNS failure and the failing mode are its symptoms, the fix is the .env line", () => {
    const facts = stageFacts(fromEnvFile("postgresql://user:p@ss@localhost:5432/dbname"));
    const url = judge({ command: "check", now: new Date(), ...facts });
    const symptoms: Report["findings"] = [
      {
        code: "session.configured-mode-fails",
        severity: "error",
        subject: "sslmode=prefer",
        message: 'libpq would fail under sslmode=prefer: could not translate host name "********@localhost"',
        hint: 'Check the spelling of host "********@localhost" and DNS.',
      },
      { code: "server.dns-failed", severity: "error", subject: "********@localhost:5432", message: "no address" },
    ];
    // Network findings first on purpose: the causal order does not depend on the order they arrive in.
    const r = report([...symptoms, ...url], [mode("prefer", false)], "sslmode=prefer fails (dns-failure).");
    assertValidReport(JSON.parse(JSON.stringify(r)));
    expect(r.verdict.rootCause).toBe("url.password-unescaped");
    expect(r.verdict.summary).toMatch(/^The password contains unescaped '@'.* Fix: Percent-encode '@' as %40/);
    expect(r.verdict.summary).not.toContain("Check the spelling");
    expect(r.verdict.fix).toEqual({
      setting: "SKILLFLAW_DATABASE_URL",
      value: "SKILLFLAW_DATABASE_URL=postgresql://user:********@localhost:5432/dbname",
      verified: false,
    });
    const codes = r.findings.map((f) => f.code);
    expect(codes.indexOf("url.password-unescaped")).toBeLessThan(codes.indexOf("server.dns-failed"));
    expect(r.findings.filter((f) => f.causedBy === "url.password-unescaped").map((f) => f.code)).toEqual([
      "server.dns-failed",
      "session.configured-mode-fails",
    ]);
    expect(renderText(r, { color: false, verbose: false })).toContain("caused by url.password-unescaped");
  });

  it("keeps the live sslmode sentence when the configured mode's own failure is the root", () => {
    const r = report(
      [{ code: "session.configured-mode-fails", severity: "error", subject: "sslmode=verify-full", message: "x" }],
      [mode("verify-full", false), mode("require", true)],
      "sslmode=verify-full fails (hostname-mismatch). Use host db.internal.",
    );
    expect(r.verdict.summary).toBe("sslmode=verify-full fails (hostname-mismatch). Use host db.internal.");
    expect(r.verdict.strongestOkMode).toBe("require");
    expect(r.findings[0]?.causedBy).toBeUndefined();
  });

  it("a warning-only report names its first warning and its fix, with the counts", () => {
    const r = report([
      { code: "url.password-present", severity: "info", subject: "password", message: "In the URL." },
      {
        code: "sslmode.default-prefer",
        severity: "warning",
        subject: "sslmode",
        message: "No sslmode is set, so libpq uses prefer.",
        hint: "Set sslmode=verify-full.",
      },
    ]);
    expect(r.verdict.summary).toBe(
      "No sslmode is set, so libpq uses prefer. Fix: Set sslmode=verify-full. (1 warning, 1 info)",
    );
    expect(report([]).verdict.summary).toBe("no problems found");
  });

  it("never 'no sslmode works' while a mode is undecided: strongestOkMode 'undecided' names the candidate", () => {
    const modes = [
      mode("disable", false),
      mode("allow", null, false),
      mode("prefer", null, false),
      mode("require", null, false),
      mode("verify-ca", false),
      mode("verify-full", false),
    ];
    const r = report([], modes);
    expect(r.verdict.strongestOkMode).toBe("undecided");
    expect(r.verdict.strongestCandidate).toBe("require");
    assertValidReport(JSON.parse(JSON.stringify(r)));
    const text = renderText(r, { color: false, verbose: false });
    expect(text).not.toContain("no sslmode works");
    expect(text).toContain("sslmode=require reached the password prompt");
    expect(renderMarkdown(r, { color: false, verbose: false })).toContain("undecided (`require`");
    const none = report([], [mode("disable", false), mode("require", false)]);
    expect(none.verdict.strongestOkMode).toBeNull();
    expect(renderText(none, { color: false, verbose: false })).toContain("no sslmode works");
  });
});
