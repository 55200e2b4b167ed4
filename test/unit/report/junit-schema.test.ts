// JUnit XML against the two schemas CI tools check it with (fixtures/junit/: Jenkins xUnit's junit-10.xsd, Ant's
// JUnit.xsd), with libxml2's validator, for both kinds of report, the golden files, every registered code and
// hostile text; and test names that stay the same when only run-varying values (ports, addresses) change.
// The real `check` and `audit` runs are validated in test/e2e/ci-formats.test.ts.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { AuditReport } from "../../../src/report/audit.js";
import { deriveVerdict } from "../../../src/report/build.js";
import type { AnyReport } from "../../../src/report/kinds.js";
import { renderJunit, stableSubject } from "../../../src/report/renderers/junit.js";
import type { Report } from "../../../src/report/report.js";
import { CODES, type FindingCode, finding } from "../../../src/rules/registry.js";
import { junitSchemaErrors, NO_XMLLINT_REASON, VALID, XMLLINT } from "../../helpers/junit-xsd.js";
import { FIXTURE_NAMES, loadAny, loadAuditFixture, loadFixture } from "./fixtures.js";
import { checkJunitXml, PYTHON } from "./xml.js";

const plain = { color: false, verbose: false };
const render = (r: AnyReport) => renderJunit(r, plain);
const GOLDEN = new URL("./golden/", import.meta.url);

/** The shape dbdoctor wrote before (main at 18006dd): what xUnit and Ant refuse. */
const OLD_SHAPE = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="dbdoctor check" tests="1" failures="0" errors="0" skipped="0" time="0.087">
  <testsuite name="dbdoctor check: files" tests="1" failures="0" errors="0" skipped="0" time="0" timestamp="2025-01-15T10:00:00.000Z">
    <testcase classname="dbdoctor.check.files" name="file.missing-skipped (sslcert)" file=".env" line="3" time="0">
      <properties>
        <property name="code" value="file.missing-skipped"/>
      </properties>
      <system-out>warning</system-out>
    </testcase>
  </testsuite>
</testsuites>
`;

function reportWith(findings: Report["findings"]): Report {
  const base = loadFixture("check-full");
  const parts = { ...base, findings };
  return { ...parts, verdict: deriveVerdict(parts) };
}

/** Every testcase's classname and name, in document order. */
function caseNames(xml: string): string[] {
  return [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"/g)].map((m) => `${m[1]} :: ${m[2]}`);
}

function suiteNames(xml: string): string[] {
  return [...xml.matchAll(/<testsuite name="([^"]*)"/g)].map((m) => m[1] as string);
}

describe.skipIf(!XMLLINT)("JUnit XML against the xUnit and Ant schemas", () => {
  it("the validator refuses what xUnit and Ant refuse (dbdoctor's former shape)", () => {
    const [result] = junitSchemaErrors([OLD_SHAPE]);
    const xunit = result?.["xunit junit-10.xsd"].join("\n") ?? "";
    const ant = result?.["ant JUnit.xsd"].join("\n") ?? "";
    expect(xunit).toContain("Element 'testsuites', attribute 'skipped': The attribute 'skipped' is not allowed.");
    expect(xunit).toContain("Element 'testcase', attribute 'file': The attribute 'file' is not allowed.");
    expect(xunit).toContain("Element 'testcase', attribute 'line': The attribute 'line' is not allowed.");
    expect(xunit).toContain("Element 'properties': This element is not expected.");
    expect(ant).toContain("Element 'testsuites', attribute 'skipped': The attribute 'skipped' is not allowed.");
    expect(ant).toContain("Element 'testsuite': The attribute 'package' is required but missing.");
    expect(ant).toContain("Element 'testcase': This element is not expected. Expected is ( properties ).");
  });

  it("every report in fixtures/reports, both kinds, validates under both schemas", () => {
    const docs = FIXTURE_NAMES.map((n) => render(loadAny(n)));
    expect(FIXTURE_NAMES).toContain("audit");
    expect(junitSchemaErrors(docs)).toEqual(docs.map(() => VALID));
  });

  it("the golden files validate under both schemas", () => {
    const files = readdirSync(GOLDEN).filter((f) => f.endsWith(".xml.golden"));
    expect(files.length).toBe(FIXTURE_NAMES.length);
    const docs = files.map((f) => readFileSync(new URL(f, GOLDEN), "utf8"));
    expect(junitSchemaErrors(docs)).toEqual(docs.map(() => VALID));
  });

  it("a report per registered code validates (each code's family, severity, evidence and location)", () => {
    const codes = Object.keys(CODES) as FindingCode[];
    const docs = codes.map((code) =>
      render(
        reportWith([
          finding(code, `db.internal:5432 (10.0.0.7)`, `A message for ${code}`, {
            evidence: { subject: "CN=db.internal", sans: ["db.internal"], days: 3 },
            location: { file: ".env", line: 4, column: 2 },
          }),
        ]),
      ),
    );
    expect(junitSchemaErrors(docs)).toEqual(docs.map(() => VALID));
  });

  it("stays valid with hostile text, an unknown code, an undecided mode and --fail-on never", () => {
    const hostile = structuredClone(loadFixture("check-full"));
    Object.assign(hostile.findings[0] ?? {}, {
      message: `]]> <x> & "q" \u0001 \uD800 \t tab`,
      hint: "]]>]]>",
      subject: "<&>",
    });
    hostile.findings.push({
      ...(hostile.findings[2] as Report["findings"][number]),
      code: "future.code" as FindingCode,
    });
    const undecided = structuredClone(loadFixture("check-full"));
    Object.assign(undecided.modes[1] ?? {}, { ok: null, message: "timed out" });
    const audit: AuditReport = structuredClone(loadAuditFixture());
    audit.verdict.failOn = "never";
    const warningGate: AuditReport = structuredClone(loadAuditFixture());
    warningGate.verdict.failOn = "warning";
    const badTime = { ...loadFixture("certs"), generatedAt: "not a date" };
    const docs = [hostile, undecided, audit, warningGate, badTime].map(render);
    expect(junitSchemaErrors(docs)).toEqual(docs.map(() => VALID));
    if (PYTHON) expect(checkJunitXml(docs)).toEqual(docs.map(() => ({ error: null, mismatches: [] })));
    expect(docs[1]).toContain('<skipped message="could not be decided: timed out"/>');
    expect(docs[2]).not.toContain("<failure");
  });
});
if (!XMLLINT) console.warn(NO_XMLLINT_REASON);

describe("what the schemas have no room for stays in the document", () => {
  it("a failing finding's code, severity, file and line are in its failure text", () => {
    const xml = render(
      reportWith([
        finding("url.password-unescaped", "password", "The password has an unescaped @.", {
          location: { file: "deploy/.env", line: 3, column: 24 },
        }),
      ]),
    );
    expect(xml).toMatch(
      /<failure message="The password has an unescaped @\." type="url\.password-unescaped"><!\[CDATA\[error url\.password-unescaped: The password has an unescaped @\.\n(?:.*\n)*?at: deploy\/\.env:3:24\n/,
    );
  });
  it("a passing finding's text is in its suite's system-out under the case's name", () => {
    const xml = render(loadFixture("check-full"));
    expect(xml).toContain(
      "<system-out><![CDATA[[dbdoctor.check.files: file.missing-skipped (sslcert)]\nwarning file.missing-skipped: No client certificate",
    );
  });
  it("the run's version, command, exact time and verdict are properties of the first suite", () => {
    const xml = render(loadFixture("check-full"));
    expect(xml).toContain('<property name="dbdoctor.generatedAt" value="2025-01-15T10:00:00.000Z"/>');
    expect(xml).toContain('<property name="dbdoctor.verdict" value="fail"/>');
    expect(xml).toMatch(/<testsuites>\n {2}<testsuite [^>]*timestamp="2025-01-15T10:00:00" hostname="localhost">/);
    expect(xml.match(/<property name="dbdoctor.command"/g)).toHaveLength(1);
  });
  it("an audit setting's location and value are in its text, not its name", () => {
    const xml = render(loadAuditFixture());
    expect(xml).toContain(
      '<testcase classname="deploy/app/.env" name="SKILLFLAW_DATABASE_URL" time="0">\n      <failure message="url.postgres-scheme:',
    );
    expect(xml).toContain(
      "at: deploy/app/.env:2:24\nsetting: SKILLFLAW_DATABASE_URL (.env; read as SQLAlchemy sqlalchemy-url)\nvalue: postgres://skillflaw:********@db.internal:5432/skillflaw",
    );
  });
});

describe("stable test names", () => {
  it("drop ports and resolved addresses from a subject, and nothing else", () => {
    expect(stableSubject("localhost:37679 (127.0.0.1)")).toBe("localhost");
    expect(stableSubject("[::1]:6432 (::1)")).toBe("[::1]");
    expect(stableSubject("db.internal:5432 (2001:db8::7)")).toBe("db.internal");
    expect(stableSubject("a.example:5432, b.example:5433")).toBe("a.example, b.example");
    expect(stableSubject("db.internal")).toBe("db.internal");
    expect(stableSubject("sslmode=verify-full")).toBe("sslmode=verify-full");
    expect(stableSubject("CN=db.example.com")).toBe("CN=db.example.com");
    expect(stableSubject("disable, allow, prefer")).toBe("disable, allow, prefer");
    expect(stableSubject("2025-01-15T10:00:00")).toBe("2025-01-15T10:00:00");
    expect(stableSubject("deploy/.env:3")).toBe("deploy/.env");
    expect(stableSubject(".env:4:2")).toBe(".env");
    expect(stableSubject("/etc/app/.env:12")).toBe("/etc/app/.env");
    expect(stableSubject("postgresql://u@db.internal:5432/app")).toBe("postgresql://u@db.internal:5432/app");
  });

  it("are the same for two reports that differ only in the server's port and address", () => {
    const run = (port: number, address: string) =>
      reportWith([
        finding("tls.hostname-mismatch", `localhost:${port} (${address})`, `Mismatch on localhost:${port}.`),
        finding("ops.capacity-exceeded", `localhost:${port}`, "Too many."),
        finding("session.plaintext-accepted", "localhost", "Plaintext accepted."),
      ]);
    const a = render(run(40981, "127.0.0.1"));
    const b = render(run(37679, "::1"));
    expect(caseNames(a)).toEqual(caseNames(b));
    expect(suiteNames(a)).toEqual(suiteNames(b));
    expect(caseNames(a)).toContain("dbdoctor.check.certs :: tls.hostname-mismatch (localhost)");
    expect(caseNames(a).join("\n")).not.toMatch(/40981|127\.0\.0\.1/);
    // The values are still in the text.
    expect(a).toContain("about: localhost:40981 (127.0.0.1)");
  });

  it("do not move when a line is added above a finding, and number two findings of one code in one file", () => {
    const at = (lines: number[]) =>
      reportWith(
        lines.map((line) =>
          finding("env.dotenv-problem", `deploy/.env:${line}`, `Line ${line} cannot be parsed.`, {
            location: { file: "deploy/.env", line },
          }),
        ),
      );
    const names = caseNames(render(at([3, 7])));
    expect(caseNames(render(at([4, 8])))).toEqual(names);
    expect(names.filter((n) => n.includes("env.dotenv-problem"))).toEqual([
      "dbdoctor.check.env :: env.dotenv-problem (deploy/.env)",
      "dbdoctor.check.env :: env.dotenv-problem (deploy/.env) #2",
    ]);
  });

  it("keep an sslmode's name whichever mode is configured", () => {
    const r = loadFixture("check-full");
    const other = structuredClone(r);
    other.verdict.configuredMode = "require";
    const modes = (xml: string) => caseNames(xml).filter((n) => n.includes(".sslmode ::"));
    expect(modes(render(r))).toEqual(modes(render(other)));
    expect(modes(render(r))).toContain("dbdoctor.check.sslmode :: sslmode=verify-full");
  });

  it("name an audit setting by file and variable or YAML path, numbering repeats", () => {
    const audit = structuredClone(loadAuditFixture());
    const moved = structuredClone(audit);
    for (const s of moved.settings) {
      s.location.line += 7;
      s.redacted = s.redacted.replace(/:5432\b/, ":6432");
    }
    expect(caseNames(render(moved))).toEqual(caseNames(render(audit)));
    const names = caseNames(render(audit));
    expect(names).toContain(
      "deploy/compose/docker-compose.yml :: services.skillflaw.environment.SKILLFLAW_DATABASE_URL",
    );
    expect(names).toContain(
      "deploy/k8s/skillflaw.yaml :: spec.template.spec.containers[0].env[0] (SKILLFLAW_DATABASE_URL)",
    );
    expect(names.join("\n")).not.toMatch(/:\d+:\d+|postgres(ql)?:\/\//);
    const twice = structuredClone(audit);
    twice.settings.push(structuredClone(twice.settings[0] as AuditReport["settings"][number]));
    expect(caseNames(render(twice)).filter((n) => n.startsWith("deploy/app/.env :: SKILLFLAW_DATABASE_URL"))).toEqual([
      "deploy/app/.env :: SKILLFLAW_DATABASE_URL",
      "deploy/app/.env :: SKILLFLAW_DATABASE_URL #2",
    ]);
  });
});
