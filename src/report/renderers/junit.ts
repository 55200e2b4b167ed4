// JUnit XML so CI systems show each check natively: one testcase per finding (an error finding fails), one
// per rule family that ran clean, one per sslmode attempt; a stage that could not run is <skipped>. An audit has
// one testcase per setting (it fails when the setting has a finding at or above --fail-on, errors by default) and
// one per file problem, so CI systems list every configuration natively.

import { SEVERITY_RANK } from "../../model/finding.js";
import type { StageResult } from "../../model/stage.js";
import type { Finding } from "../../rules/registry.js";
import type { AuditReport } from "../audit.js";
import { isAuditReport } from "../kinds.js";
import type { Report } from "../report.js";
import {
  describeLocation,
  evidenceText,
  okWord,
  settingName,
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

type Outcome =
  | { kind: "pass" }
  | { kind: "failure"; message: string; type: string; body: string }
  | { kind: "skipped"; message: string };

interface Case {
  classname: string;
  name: string;
  file?: string;
  line?: number;
  outcome: Outcome;
  out?: string;
  properties?: Array<[string, string]>;
}

interface Suite {
  name: string;
  cases: Case[];
}

function findingText(f: Finding): string {
  const lines = [`${f.severity}: ${f.message}`];
  if (f.hint) lines.push(`fix: ${f.hint}`);
  if (f.location) lines.push(`at: ${describeLocation(f.location)}`);
  if (f.docs) lines.push(`docs: ${f.docs}`);
  for (const [k, v] of Object.entries(f.evidence ?? {})) lines.push(`${k}: ${evidenceText(v)}`);
  return lines.join("\n");
}

function findingCase(report: Report, f: Finding, family: string): Case {
  const c: Case = {
    classname: `dbdoctor.${report.command}.${family}`,
    name: `${f.code} (${f.subject})`,
    outcome:
      f.severity === "error"
        ? { kind: "failure", message: f.message, type: f.code, body: findingText(f) }
        : { kind: "pass" },
    properties: [
      ["code", f.code],
      ["severity", f.severity],
    ],
  };
  if (f.severity !== "error") c.out = findingText(f);
  if (f.location) {
    c.file = f.location.file;
    if (f.location.line !== undefined) c.line = f.location.line;
  }
  return c;
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
    suites.push({ name: `dbdoctor ${report.command}: ${FAMILY_TITLES[family as Family] ?? "other findings"}`, cases });
  }
  return suites;
}

function modeSuite(report: Report): Suite | null {
  if (report.modes.length === 0) {
    if (report.command !== "check") return null;
    return {
      name: `dbdoctor ${report.command}: sslmode attempts`,
      cases: [
        {
          classname: `dbdoctor.${report.command}.sslmode`,
          name: "sslmode matrix",
          outcome: {
            kind: "skipped",
            message: "no live sslmode attempts were made (offline, or the probe could not run)",
          },
        },
      ],
    };
  }
  const cases = report.modes.map((m): Case => {
    const configured = m.sslmode === report.verdict.configuredMode;
    const text = [
      m.ok === null
        ? `${okWord(m.ok)} at stage ${m.stage}`
        : `libpq would ${m.ok ? "connect" : "refuse"} (stage ${m.stage})`,
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
              body: text,
            }
          : { kind: "pass" };
    return {
      classname: `dbdoctor.${report.command}.sslmode`,
      name: `sslmode=${m.sslmode}${configured ? " (configured)" : ""}`,
      outcome,
      ...(outcome.kind === "failure" ? {} : { out: text }),
      properties: [
        ["ok", String(m.ok)],
        ["credentialsSent", String(m.credentialsSent)],
      ],
    };
  });
  return { name: `dbdoctor ${report.command}: sslmode attempts`, cases };
}

function caseXml(c: Case): string[] {
  const attrs = [`classname="${xmlAttr(c.classname)}"`, `name="${xmlAttr(c.name)}"`];
  if (c.file !== undefined) attrs.push(`file="${xmlAttr(c.file)}"`);
  if (c.line !== undefined) attrs.push(`line="${c.line}"`);
  const inner: string[] = [];
  if (c.properties?.length) {
    inner.push("      <properties>");
    for (const [n, v] of c.properties) inner.push(`        <property name="${xmlAttr(n)}" value="${xmlAttr(v)}"/>`);
    inner.push("      </properties>");
  }
  const o = c.outcome;
  if (o.kind === "failure")
    inner.push(
      `      <failure message="${xmlAttr(o.message)}" type="${xmlAttr(o.type)}">${xmlCdata(o.body)}</failure>`,
    );
  if (o.kind === "skipped") inner.push(`      <skipped message="${xmlAttr(o.message)}"/>`);
  if (c.out) inner.push(`      <system-out>${xmlCdata(c.out)}</system-out>`);
  if (inner.length === 0) return [`    <testcase ${attrs.join(" ")} time="0"/>`];
  return [`    <testcase ${attrs.join(" ")} time="0">`, ...inner, "    </testcase>"];
}

function counts(cases: readonly Case[]) {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome.kind === "failure").length,
    errors: 0,
    skipped: cases.filter((c) => c.outcome.kind === "skipped").length,
  };
}

function countAttrs(n: ReturnType<typeof counts>): string {
  return `tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}"`;
}

function reportJunit(report: Report): string {
  const suites = [...findingSuites(report)];
  const modes = modeSuite(report);
  if (modes) suites.push(modes);
  const seconds = (Object.values(report.timings).reduce((a, b) => a + b, 0) / 1000).toFixed(3);
  const all = suites.flatMap((s) => s.cases);
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="dbdoctor ${xmlAttr(report.command)}" ${countAttrs(counts(all))} time="${seconds}">`,
  ];
  for (const s of suites) {
    out.push(
      `  <testsuite name="${xmlAttr(s.name)}" ${countAttrs(counts(s.cases))} time="0" timestamp="${xmlAttr(report.generatedAt)}">`,
    );
    for (const c of s.cases) out.push(...caseXml(c));
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
}

function auditFindingText(f: Finding): string {
  const loc = f.location
    ? ` (${f.location.file}:${f.location.line ?? "?"}${f.location.column !== undefined ? `:${f.location.column}` : ""})`
    : "";
  return `${f.severity} ${f.code}${loc}: ${f.message}${f.hint ? `\n  fix: ${f.hint}` : ""}`;
}

function auditJunit(r: AuditReport): string {
  const threshold = r.verdict.failOn === "never" ? Number.POSITIVE_INFINITY : SEVERITY_RANK[r.verdict.failOn];
  const cases: string[] = [];
  let failures = 0;
  const testcase = (classname: string, name: string, file: string, line: number | undefined, findings: Finding[]) => {
    const sorted = sortFindings(findings);
    const failing = sorted.filter((f) => SEVERITY_RANK[f.severity] >= threshold);
    const attrs = `classname="${xmlAttr(classname)}" name="${xmlAttr(name)}" file="${xmlAttr(file)}"${line !== undefined ? ` line="${line}"` : ""}`;
    const body: string[] = [];
    if (failing.length > 0) {
      failures++;
      const first = failing[0] as Finding;
      body.push(
        `      <failure message="${xmlAttr(`${first.code}: ${first.message}`)}" type="${xmlAttr(first.code)}">${xmlCdata(failing.map(auditFindingText).join("\n\n"))}</failure>`,
      );
    }
    if (sorted.length > 0)
      body.push(`      <system-out>${xmlCdata(sorted.map(auditFindingText).join("\n\n"))}</system-out>`);
    cases.push(
      body.length === 0 ? `    <testcase ${attrs}/>` : `    <testcase ${attrs}>\n${body.join("\n")}\n    </testcase>`,
    );
  };
  for (const st of r.settings)
    testcase(
      st.location.file,
      `${settingWhere(st)} ${settingName(st)} (${settingOrigin(st)}): ${st.redacted}`,
      st.location.file,
      st.location.line,
      st.findings,
    );
  for (const f of r.fileFindings)
    testcase(
      f.location?.file ?? f.subject,
      `file ${f.location?.file ?? f.subject}: ${f.code}`,
      f.location?.file ?? f.subject,
      f.location?.line,
      [f],
    );
  const total = r.settings.length + r.fileFindings.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="dbdoctor audit" tests="${total}" failures="${failures}" errors="0" skipped="0">`,
    `  <testsuite name="dbdoctor audit" tests="${total}" failures="${failures}" errors="0" skipped="0" timestamp="${xmlAttr(r.generatedAt)}">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

export const renderJunit: Renderer = (raw) => {
  const report = sanitizeReport(raw);
  return isAuditReport(report) ? auditJunit(report) : reportJunit(report);
};
