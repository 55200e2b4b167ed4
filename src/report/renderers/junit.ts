// JUnit XML so CI systems show each check natively: one testcase per finding (an error finding fails), one
// per rule family that ran clean, one per sslmode attempt; a stage that could not run is <skipped>. An audit has
// one testcase per setting (it fails when the setting has a finding at or above --fail-on, errors by default) and
// one per file problem, so CI systems list every configuration natively.
//
// The document is valid under both schemas CI tools hold JUnit files to, Jenkins xUnit's junit-10.xsd (xUnit skips a
// file that fails it) and Apache Ant's JUnit.xsd (fixtures/junit/, checked by test/unit/report/junit-schema.test.ts).
// What both allow is narrow:
//   - <testsuites> has no attribute at all (Ant's allows none; the totals are the sums of the suites');
//   - a <testsuite> has name, package, id, hostname, a timestamp without zone or fraction (Ant's pattern; ours is
//     UTC), tests, failures, errors, skipped and time, and holds <properties>, its testcases, <system-out> and
//     <system-err>, in that order (Ant's sequence);
//   - a <testcase> has name, classname and time only, and at most one child: <failure>, <error> or <skipped>.
// What no longer fits stays in the document where both allow it: a finding's code, severity, file and line and a
// mode's details are in the failure text, or, for a case that passed or was skipped, in its suite's <system-out>
// under the case's classname and name; the run's facts (version, command, the exact time, verdict) are properties.
//
// Test names are identities for CI test history: they say what is checked, never a value that changes from run to
// run (a port: the lab's are random; the address a host name resolved to) or when a file is edited (a line number,
// an audit setting's value). Those values are in the text.

import { SEVERITY_RANK } from "../../model/finding.js";
import type { StageResult } from "../../model/stage.js";
import type { Finding } from "../../rules/registry.js";
import type { AuditReport, AuditSetting } from "../audit.js";
import { isAuditReport } from "../kinds.js";
import type { Report } from "../report.js";
import {
  describeLocation,
  evidenceText,
  okWord,
  settingOrigin,
  settingWhere,
  sortFindings,
  stageProblem,
  tlsText,
} from "./common.js";
import { FAMILIES, FAMILY_SECTION, FAMILY_TITLES, type Family, familyOf, type Section } from "./families.js";
import { sanitizeReport } from "./sanitize.js";
import type { Renderer } from "./types.js";

/** Characters XML 1.0 cannot hold at all, even escaped. */
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlAttr(value: string): string {
  return value
    .replace(INVALID_XML, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}

/** Text content as CDATA; a "]]>" inside is split across two sections. */
export function xmlCdata(value: string): string {
  return `<![CDATA[${value.replace(INVALID_XML, "\uFFFD").replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
}

/** `host:port` and `[v6]:port` lose the port; a time of day (10:00:00) is left alone. */
const HOST_PORT = /(^|[\s(,=])(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_][A-Za-z0-9_.-]*):\d{1,5}(?![\d:])/g;
/** ` (127.0.0.1)`, ` (::1)`: the address the host name resolved to (DNS may answer differently next run). */
const RESOLVED_ADDRESS = /\s\((?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)\)/g;

/** `deploy/.env:3`, `.env:4:2`: a file's line (and column) moves whenever the file is edited above it. */
const PATH_LINE = /(^|[\s(,=])((?:[^\s(),=:]*\/|\.)[^\s(),=:]*):\d+(?::\d+)?(?![\d:])/g;

/**
 * A finding's subject without the values that change from run to run or with an unrelated edit:
 * `localhost:5432 (::1)` is `localhost`, `deploy/.env:3` is `deploy/.env`. Two findings of one code that differed
 * only there are told apart by a number (uniqueNames), which an edit elsewhere in the file does not change.
 */
export function stableSubject(subject: string): string {
  return subject.replace(RESOLVED_ADDRESS, "").replace(PATH_LINE, "$1$2").replace(HOST_PORT, "$1$2");
}

type Outcome =
  | { kind: "pass" }
  | { kind: "failure"; message: string; type: string }
  | { kind: "skipped"; message: string };

interface Case {
  classname: string;
  name: string;
  outcome: Outcome;
  /** The failure's text, or (a case that passed or was skipped) the case's entry in its suite's <system-out>. */
  details?: string;
  /** Seconds the check took, where the report measured it (an sslmode attempt). */
  seconds?: number;
}

interface Suite {
  name: string;
  package: string;
  cases: Case[];
  /** Seconds; without it, the sum of the cases' (0 where the report measured none). */
  seconds?: number;
}

/** What every suite of one document says about the run. */
interface Run {
  /** Ant's form: `2025-01-15T10:00:00` (UTC here). */
  timestamp: string;
  properties: Array<[string, string]>;
}

function findingText(f: Finding): string {
  const lines = [`${f.severity} ${f.code}: ${f.message}`];
  if (f.hint) lines.push(`fix: ${f.hint}`);
  if (stableSubject(f.subject) !== f.subject) lines.push(`about: ${f.subject}`);
  if (f.location) lines.push(`at: ${describeLocation(f.location)}`);
  if (f.docs) lines.push(`docs: ${f.docs}`);
  for (const [k, v] of Object.entries(f.evidence ?? {})) lines.push(`${k}: ${evidenceText(v)}`);
  return lines.join("\n");
}

function findingCase(report: Report, f: Finding, family: string): Case {
  return {
    classname: `dbdoctor.${report.command}.${family}`,
    name: `${f.code} (${stableSubject(f.subject)})`,
    outcome: f.severity === "error" ? { kind: "failure", message: f.message, type: f.code } : { kind: "pass" },
    details: findingText(f),
  };
}

/** Did the stage behind a section run? conninfo is not a StageResult: null means nothing was read. */
function sectionStage(report: Report, section: Section): StageResult<unknown> {
  switch (section) {
    case "connection":
      return report.conninfo === null
        ? { status: "skipped", reason: "no connection string was read" }
        : { status: "completed", value: null };
    case "files":
      return report.files;
    case "server":
      return report.server;
    case "modes":
      return report.modes.length > 0
        ? { status: "completed", value: null }
        : { status: "skipped", reason: "no live sslmode attempts were made" };
    case "ops":
      return report.ops ?? { status: "skipped", reason: "the SkillFlaw operations checks did not run" };
    case "other":
      return { status: "completed", value: null };
  }
}

const COMMAND_FAMILIES: Record<Report["command"], readonly Family[]> = {
  check: FAMILIES.filter((f) => f !== "audit"),
  parse: ["input", "conninfo", "url", "env"],
  certs: ["files"],
  server: ["server"],
  instances: ["input", "conninfo", "url", "env", "ops"],
};

function findingSuites(report: Report): Suite[] {
  const byFamily = new Map<string, Finding[]>();
  for (const f of sortFindings(report.findings)) {
    const family = familyOf(f.code) ?? "other";
    byFamily.set(family, [...(byFamily.get(family) ?? []), f]);
  }
  const families: string[] = [...COMMAND_FAMILIES[report.command]];
  for (const family of byFamily.keys()) if (!families.includes(family)) families.push(family);
  const suites: Suite[] = [];
  for (const family of families) {
    const findings = byFamily.get(family) ?? [];
    const classname = `dbdoctor.${report.command}.${family}`;
    const cases = findings.map((f) => findingCase(report, f, family));
    // The sslmode attempts suite already says whether attempts were made; a second skip would double-count.
    if (findings.length === 0 && family === "modes" && report.modes.length === 0) continue;
    // Reports of commands that do not run the operations stage say nothing about it.
    if (findings.length === 0 && family === "ops" && report.ops === undefined) continue;
    if (findings.length === 0) {
      // No findings is a pass only when the stage behind the family actually ran.
      const stage = sectionStage(report, family === "other" ? "other" : FAMILY_SECTION[family as Family]);
      const problem = stageProblem(stage);
      cases.push({
        classname,
        name: `${family}: no problems found`,
        outcome: problem === null ? { kind: "pass" } : { kind: "skipped", message: problem },
      });
    }
    suites.push({
      name: `dbdoctor ${report.command}: ${FAMILY_TITLES[family as Family] ?? "other findings"}`,
      package: classname,
      cases,
    });
  }
  return suites;
}

function modeSuite(report: Report): Suite | null {
  const classname = `dbdoctor.${report.command}.sslmode`;
  const suite = (cases: Case[]): Suite => ({
    name: `dbdoctor ${report.command}: sslmode attempts`,
    package: classname,
    cases,
  });
  if (report.modes.length === 0) {
    if (report.command !== "check") return null;
    return suite([
      {
        classname,
        name: "sslmode matrix",
        outcome: {
          kind: "skipped",
          message: "no live sslmode attempts were made (offline, or the probe could not run)",
        },
      },
    ]);
  }
  const cases = report.modes.map((m): Case => {
    const configured = m.sslmode === report.verdict.configuredMode;
    const details = [
      m.ok === null
        ? `${okWord(m.ok)} at stage ${m.stage}`
        : `libpq would ${m.ok ? "connect" : "refuse"} (stage ${m.stage})`,
      configured ? "configured: yes (the sslmode the connection string asks for)" : null,
      m.message ? `message: ${m.message}` : null,
      m.code ? `code: ${m.code}` : null,
      `credentials sent: ${m.credentialsSent ? "yes" : "no"}`,
      `TLS: ${tlsText(m)}`,
    ]
      .filter((l) => l !== null)
      .join("\n");
    const outcome: Outcome =
      m.ok === null
        ? { kind: "skipped", message: `could not be decided: ${m.message ?? "no reason given"}` }
        : m.ok === false && configured
          ? {
              kind: "failure",
              message: `libpq would refuse the configured sslmode=${m.sslmode}: ${m.message ?? m.stage}`,
              type: m.code ?? "sslmode.refused",
            }
          : { kind: "pass" };
    // The name stays `sslmode=X` whichever mode is configured: changing the setting keeps each mode's history.
    return {
      classname,
      name: `sslmode=${m.sslmode}`,
      outcome,
      details,
      ...(m.durationMs !== undefined ? { seconds: m.durationMs / 1000 } : {}),
    };
  });
  return suite(cases);
}

/** Two cases of one class with the same name would merge in CI history: the later ones are numbered. */
function uniqueNames(cases: readonly Case[]): Case[] {
  const seen = new Map<string, number>();
  return cases.map((c) => {
    const key = `${c.classname}\u0000${c.name}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? c : { ...c, name: `${c.name} #${n}` };
  });
}

function caseXml(c: Case): string[] {
  const open = `    <testcase classname="${xmlAttr(c.classname)}" name="${xmlAttr(c.name)}" time="${seconds(c.seconds ?? 0)}"`;
  const o = c.outcome;
  switch (o.kind) {
    case "pass":
      return [`${open}/>`];
    case "skipped":
      return [`${open}>`, `      <skipped message="${xmlAttr(o.message)}"/>`, "    </testcase>"];
    case "failure":
      return [
        `${open}>`,
        `      <failure message="${xmlAttr(o.message)}" type="${xmlAttr(o.type)}">${xmlCdata(c.details ?? o.message)}</failure>`,
        "    </testcase>",
      ];
  }
}

function counts(cases: readonly Case[]) {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome.kind === "failure").length,
    errors: 0,
    skipped: cases.filter((c) => c.outcome.kind === "skipped").length,
  };
}

/** SUREFIRE_TIME (junit-10.xsd) and xs:decimal (Ant): digits, at most three decimals. */
function seconds(value: number): string {
  return value > 0 && Number.isFinite(value) ? value.toFixed(3) : "0";
}

function suiteXml(s: Suite, id: number, run: Run): string[] {
  const n = counts(s.cases);
  const time = s.seconds ?? s.cases.reduce((sum, c) => sum + (c.seconds ?? 0), 0);
  const out = [
    `  <testsuite name="${xmlAttr(s.name)}" package="${xmlAttr(s.package)}" id="${id}" tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}" time="${seconds(time)}" timestamp="${run.timestamp}" hostname="localhost">`,
  ];
  // The run's properties once, in the first suite (Ant requires <properties> in every one).
  if (id === 0 && run.properties.length > 0)
    out.push(
      "    <properties>",
      ...run.properties.map(([k, v]) => `      <property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`),
      "    </properties>",
    );
  else out.push("    <properties/>");
  for (const c of s.cases) out.push(...caseXml(c));
  const logged = s.cases
    .filter((c) => c.outcome.kind !== "failure" && c.details)
    .map((c) => `[${c.classname}: ${c.name}]\n${c.details}`);
  out.push(logged.length > 0 ? `    <system-out>${xmlCdata(logged.join("\n\n"))}</system-out>` : "    <system-out/>");
  out.push("    <system-err/>", "  </testsuite>");
  return out;
}

/** Ant's timestamp: ISO 8601 to the second, no zone (dbdoctor's generatedAt is UTC). */
function antTimestamp(iso: string): string {
  const date = new Date(iso);
  return (Number.isNaN(date.getTime()) ? new Date(0) : date).toISOString().slice(0, 19);
}

function totalSeconds(timings: Record<string, number>): number {
  return Object.values(timings).reduce((a, b) => a + b, 0) / 1000;
}

function document(suites: readonly Suite[], run: Run): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"];
  suites.forEach((s, id) => {
    out.push(...suiteXml({ ...s, cases: uniqueNames(s.cases) }, id, run));
  });
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
}

function reportJunit(report: Report): string {
  const suites = [...findingSuites(report)];
  const modes = modeSuite(report);
  if (modes) suites.push(modes);
  return document(suites, {
    timestamp: antTimestamp(report.generatedAt),
    properties: [
      ["dbdoctor.version", report.tool.version],
      ["dbdoctor.command", report.command],
      ["dbdoctor.generatedAt", report.generatedAt],
      ["dbdoctor.verdict", report.verdict.status],
      ["dbdoctor.time", seconds(totalSeconds(report.timings))],
    ],
  });
}

function auditFindingText(f: Finding): string {
  const loc = f.location
    ? ` (${f.location.file}:${f.location.line ?? "?"}${f.location.column !== undefined ? `:${f.location.column}` : ""})`
    : "";
  return `${f.severity} ${f.code}${loc}: ${f.message}${f.hint ? `\n  fix: ${f.hint}` : ""}`;
}

/**
 * A setting's identity within its file: the YAML path (two services may both set DATABASE_URL), with the variable
 * when the path does not end in it, or the .env variable; not its line or value, which edits change.
 */
function settingCaseName(st: AuditSetting): string {
  const { path, variable } = st;
  if (path !== undefined && variable !== null && !path.endsWith(variable)) return `${path} (${variable})`;
  return path ?? variable ?? "URL in text";
}

function auditCase(
  classname: string,
  name: string,
  header: string[],
  findings: readonly Finding[],
  threshold: number,
): Case {
  const sorted = sortFindings(findings);
  const first = sorted.find((f) => SEVERITY_RANK[f.severity] >= threshold);
  const details = [header.join("\n"), ...sorted.map(auditFindingText)].filter((t) => t !== "").join("\n\n");
  return {
    classname,
    name,
    outcome:
      first === undefined
        ? { kind: "pass" }
        : { kind: "failure", message: `${first.code}: ${first.message}`, type: first.code },
    details,
  };
}

function auditJunit(r: AuditReport): string {
  const threshold = r.verdict.failOn === "never" ? Number.POSITIVE_INFINITY : SEVERITY_RANK[r.verdict.failOn];
  const cases: Case[] = [];
  for (const st of r.settings)
    cases.push(
      auditCase(
        st.location.file,
        settingCaseName(st),
        [`at: ${settingWhere(st)}`, `setting: ${settingCaseName(st)} (${settingOrigin(st)})`, `value: ${st.redacted}`],
        st.findings,
        threshold,
      ),
    );
  for (const f of r.fileFindings) {
    const file = f.location?.file ?? f.subject;
    cases.push(auditCase(file, `file ${file}: ${f.code}`, [], [f], threshold));
  }
  return document([{ name: "dbdoctor audit", package: "dbdoctor.audit", cases, seconds: totalSeconds(r.timings) }], {
    timestamp: antTimestamp(r.generatedAt),
    properties: [
      ["dbdoctor.version", r.tool.version],
      ["dbdoctor.command", r.command],
      ["dbdoctor.generatedAt", r.generatedAt],
      ["dbdoctor.verdict", r.verdict.status],
      ["dbdoctor.failOn", r.verdict.failOn],
    ],
  });
}

export const renderJunit: Renderer = (raw) => {
  const report = sanitizeReport(raw);
  return isAuditReport(report) ? auditJunit(report) : reportJunit(report);
};
