// Behaviour of the renderers beyond the golden files: wrapping, colour, sections per command, escaping.
import stringWidth from "string-width";
import stripAnsi from "strip-ansi";
import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, renderGithub } from "../../../src/report/renderers/github.js";
import { renderJunit, xmlAttr, xmlCdata } from "../../../src/report/renderers/junit.js";
import { mdCode, mdText, renderMarkdown } from "../../../src/report/renderers/markdown.js";
import { sanitizeString } from "../../../src/report/renderers/sanitize.js";
import { renderSarif } from "../../../src/report/renderers/sarif.js";
import { renderText } from "../../../src/report/renderers/text.js";
import type { Report } from "../../../src/report/report.js";
import { sarifProblems } from "../audit/helpers.js";
import { loadFixture } from "./fixtures.js";
import { checkJunitXml, PYTHON } from "./xml.js";

const plain = { color: false, verbose: false, width: undefined };

describe("text", () => {
  it("wraps every line to the width, except for long unbreakable tokens", () => {
    for (const width of [60, 80, 120]) {
      const out = renderText(loadFixture("check-full"), { color: true, verbose: true, width });
      for (const line of stripAnsi(out).split("\n")) {
        const longestWord = Math.max(0, ...line.split(" ").map((w) => stringWidth(w)));
        // Only an unbreakable token (a path, a fingerprint) may push a line past the width.
        if (stringWidth(line) > width) expect(longestWord, line).toBeGreaterThanOrEqual(20);
      }
    }
  });
  it("indents a wrapped message and its fix under the message, not under the symbol", () => {
    const lines = renderText(loadFixture("parse-env"), { ...plain, width: 60 }).split("\n");
    const first = lines.findIndex((l) => l.startsWith("  ✗ error   The password"));
    expect(first).toBeGreaterThan(0);
    expect(lines[first + 1]).toMatch(/^ {12}\S/);
    const fix = lines.findIndex((l) => l.startsWith("            fix: Percent-encode"));
    expect(lines[fix + 1]).toMatch(/^ {17}\S/);
  });
  it("has no escape codes without colour, and symbols and words carry the meaning", () => {
    const out = renderText(loadFixture("check-full"), plain);
    expect(out).not.toContain("\u001b[");
    expect(out).toContain("✗ error");
    expect(out).toContain("✓ ok");
    expect(out).toContain("✗ refused");
    expect(out).toContain("Verdict  ✗ FAIL");
  });
  it("colours symbols when asked", () => {
    const out = renderText(loadFixture("check-full"), { ...plain, color: true });
    expect(out).toContain("\u001b[31m✗ refused\u001b[39m");
    expect(out).toContain("\u001b[32m✓ ok\u001b[39m");
  });
  it("parse shows the connection string only; certs shows files only", () => {
    const parse = renderText(loadFixture("parse-env"), plain);
    expect(parse).toContain("Connection string\n");
    expect(parse).not.toMatch(/^(Files|Server|sslmode matrix)/m);
    const certs = renderText(loadFixture("certs"), plain);
    expect(certs).toContain("Files\n");
    expect(certs).not.toMatch(/^(Connection string|Server|sslmode matrix)/m);
  });
  it("says why a stage did not run: skipped in one line, failed as a problem", () => {
    const out = renderText(loadFixture("check-skipped"), plain);
    expect(out).toContain("Server — skipped: --offline\n");
    expect(out).toContain("Files\n  ✗ could not run: cannot read missing.crt");
    expect(out).toContain("sslmode matrix\n  not tried");
  });
  it("--verbose adds the evidence", () => {
    const quiet = renderText(loadFixture("certs"), plain);
    const verbose = renderText(loadFixture("certs"), { ...plain, verbose: true });
    expect(quiet).not.toContain("sha256: 3F:2A");
    expect(verbose).toContain("sha256: 3F:2A");
    expect(verbose).toContain("sans: app, app.internal");
  });
  it("shows an undecided mode as ? with its reason", () => {
    const r = structuredClone(loadFixture("check-full"));
    Object.assign(r.modes[5] ?? {}, { ok: null, stage: "auth", message: "password withheld by --auth-probe none" });
    const out = renderText(r, plain);
    expect(out).toMatch(/verify-full \* +\? undecided +auth/);
    expect(out).toContain("password withheld by --auth-probe none");
  });
  it("a check whose connection string was not found says so", () => {
    const r: Report = {
      ...loadFixture("check-skipped"),
      conninfo: null,
      input: { ...loadFixture("check-skipped").input, source: { kind: "none" }, redacted: null },
    };
    expect(renderText(r, plain)).toContain("from       nowhere (no connection string found)");
  });
});

describe("markdown", () => {
  it("escapes markup in text and pipes in cells", () => {
    expect(mdText("a|b `c` *d* <e> [f](g) pg_hba _x_")).toBe("a\\|b \\`c\\` \\*d\\* \\<e\\> \\[f\\](g) pg_hba \\_x\\_");
    expect(mdText("line1\nline2 & more")).toBe("line1<br>line2 &amp; more");
  });
  it("code spans hold backticks and pipes", () => {
    expect(mdCode("a|b")).toBe("`a\\|b`");
    expect(mdCode("x `y` z")).toBe("``x `y` z``");
    expect(mdCode("`edge")).toBe("`` `edge ``");
  });
  it("keeps every table row to the header's column count", () => {
    const r = structuredClone(loadFixture("check-full"));
    Object.assign(r.findings[0] ?? {}, { message: "a | b | c", hint: "x|y" });
    const out = renderMarkdown(r, plain);
    for (const block of out.split("\n\n")) {
      const rows = block.split("\n").filter((l) => l.startsWith("|"));
      if (rows.length === 0) continue;
      const cols = (l: string) => l.replace(/\\\|/g, "").split("|").length;
      for (const row of rows) expect(cols(row), row).toBe(cols(rows[0] ?? ""));
    }
  });
  it("a stage that could not run is not shown as a pass", () => {
    const out = renderMarkdown(loadFixture("check-skipped"), plain);
    expect(out).toContain("❌ **Could not run:** cannot read missing.crt");
    expect(out).toContain("_Skipped: --offline_");
  });
});

describe("github", () => {
  it("escapes data and properties as @actions/core does", () => {
    expect(escapeData("100%\r\nnext")).toBe("100%25%0D%0Anext");
    expect(escapeProperty("a:b,c%\n")).toBe("a%3Ab%2Cc%25%0A");
  });
  it("cannot be tricked into a second command by a newline in a value", () => {
    const r = structuredClone(loadFixture("parse-env"));
    Object.assign(r.findings[0] ?? {}, { message: "x\n::set-output name=a::b", subject: "s,t:u" });
    const out = renderGithub(r, plain);
    expect(out.split("\n").filter((l) => l.startsWith("::"))).toHaveLength(3);
    expect(out).toContain("title=dbdoctor url.password-unescaped (s%2Ct%3Au)::x%0A::set-output");
  });
  it("warns when a stage could not run", () => {
    expect(renderGithub(loadFixture("check-skipped"), plain)).toContain(
      "::warning title=dbdoctor%3A Files check could not run::could not run: cannot read missing.crt",
    );
  });
});

describe("junit", () => {
  it("escapes attributes and splits ]]> in CDATA", () => {
    expect(xmlAttr(`a<b>&"c"\n`)).toBe("a&lt;b&gt;&amp;&quot;c&quot;&#10;");
    expect(xmlCdata("x]]>y")).toBe("<![CDATA[x]]]]><![CDATA[>y]]>");
    expect(xmlAttr("nul\u0000here")).toBe("nul\uFFFDhere");
  });
  it.skipIf(!PYTHON)("stays well-formed with hostile text", () => {
    const r = structuredClone(loadFixture("check-full"));
    Object.assign(r.findings[0] ?? {}, { message: `]]> <x> & "q" \u0001 \uD800`, hint: "]]>]]>", subject: "<&>" });
    expect(checkJunitXml([renderJunit(r, plain)])).toEqual([{ error: null, mismatches: [] }]);
  });
  it("fails the configured mode when libpq would refuse it, not the others", () => {
    const out = renderJunit(loadFixture("check-full"), plain);
    expect(out).toMatch(
      /name="sslmode=verify-full" time="[\d.]+">\s*<failure message="libpq would refuse the configured sslmode=verify-full[^>]*>[^\n]*\nconfigured: yes/,
    );
    // A mode that is not configured passes even when it fails; its details go to the suite's output.
    expect(out).toMatch(/name="sslmode=disable" time="[\d.]+"\/>/);
    expect(out).toMatch(
      /<system-out><!\[CDATA\[\[dbdoctor\.check\.sslmode: sslmode=disable\]\nlibpq would refuse \(stage auth\)/,
    );
  });
  it("marks a stage that could not run as skipped with the reason", () => {
    const out = renderJunit(loadFixture("check-skipped"), plain);
    expect(out).toContain(
      '<skipped message="could not run: cannot read missing.crt: ENOENT: no such file or directory"/>',
    );
    expect(out).toContain('<skipped message="skipped: --offline"/>');
  });
});

interface SarifLog {
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string; defaultConfiguration: { level: string } }> } };
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: Array<{
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId?: string };
          region?: { startLine: number; startColumn?: number };
        };
      }>;
    }>;
    properties: { command: string; verdict: { status: string } };
  }>;
}

describe("sarif for a single-setting report", () => {
  const sarif = (r: Report) => JSON.parse(renderSarif(r, plain)) as SarifLog;
  it("has the essential SARIF 2.1.0 structure, one result per finding with its level and fix", () => {
    const report = loadFixture("check-full");
    const log = sarif(report);
    expect(sarifProblems(log)).toEqual([]);
    const run = log.runs[0];
    expect(run?.results.map((r) => r.ruleId)).toEqual(report.findings.map((f) => f.code));
    expect(run?.results.map((r) => r.level)).toEqual(
      report.findings.map((f) => ({ error: "error", warning: "warning", info: "note" })[f.severity]),
    );
    expect(run?.tool.driver.rules.map((r) => r.id)).toEqual([...new Set(report.findings.map((f) => f.code))].sort());
    const refused = run?.results.find((r) => r.ruleId === "session.configured-mode-fails");
    expect(refused?.message.text).toMatch(/\nFix: /);
    expect(run?.properties).toMatchObject({ command: "check", verdict: { status: "fail" } });
  });
  it("pins each finding to the .env line and column it points at", () => {
    const log = sarif(loadFixture("parse-env"));
    const unescaped = log.runs[0]?.results.find((r) => r.ruleId === "url.password-unescaped");
    expect(unescaped?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: "deploy/.env", uriBaseId: "%SRCROOT%" },
          region: { startLine: 3, startColumn: 24 },
        },
      },
    ]);
  });
  it("pins a finding without a location to the .env line the connection string came from", () => {
    const r = structuredClone(loadFixture("parse-env"));
    delete r.findings[1]?.location;
    const weak = sarif(r).runs[0]?.results.find((x) => x.ruleId === "sslmode.weak");
    expect(weak?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: "deploy/.env", uriBaseId: "%SRCROOT%" },
      region: { startLine: 3 },
    });
  });
  it("leaves a finding without a location unpinned when the input was no file, and an absolute path a file URI", () => {
    const r = structuredClone(loadFixture("check-full"));
    const log = sarif(r);
    expect(log.runs[0]?.results.every((x) => x.locations.length === 0)).toBe(true);
    const first = r.findings[0];
    if (first) first.location = { file: "/etc/dbdoctor/app env", line: 2 };
    expect(sarif(r).runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation).toEqual({
      uri: "file:///etc/dbdoctor/app%20env",
    });
  });
  it("a report without findings is a valid log with no results", () => {
    const log = sarif({ ...loadFixture("check-skipped"), findings: [] });
    expect(sarifProblems(log)).toEqual([]);
    expect(log.runs[0]?.results).toEqual([]);
  });
});

describe("sanitizeString", () => {
  it("masks URL and keyword passwords, keeps placeholders", () => {
    expect(sanitizeString("postgresql://u:s3cr3t@h/db")).toBe("postgresql://u:********@h/db");
    expect(sanitizeString("host=h password='a b' sslpassword=x")).toBe("host=h password=******** sslpassword=********");
    expect(sanitizeString("postgresql://USER:PASSWORD@HOST/DB")).toBe("postgresql://USER:PASSWORD@HOST/DB");
    const envRef = ["password=$", "{DB_PASSWORD}"].join(""); // a shell reference, not a template
    expect(sanitizeString(envRef)).toBe(envRef);
  });
});
