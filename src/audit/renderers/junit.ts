// JUnit XML: one testcase per setting (it fails when the setting has a finding at or above --fail-on, errors by
// default), one per file problem, so CI systems list every configuration natively.

import type { Severity } from "../../model/finding.js";
import { xmlAttr, xmlCdata } from "../../report/renderers/junit.js";
import type { Finding } from "../../rules/registry.js";
import { settingName, settingOrigin, sortFindings, where } from "./common.js";
import type { AuditRenderer } from "./index.js";
import { sanitizeAudit } from "./sanitize.js";

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

function findingText(f: Finding): string {
  const loc = f.location
    ? ` (${f.location.file}:${f.location.line ?? "?"}${f.location.column !== undefined ? `:${f.location.column}` : ""})`
    : "";
  return `${f.severity} ${f.code}${loc}: ${f.message}${f.hint ? `\n  fix: ${f.hint}` : ""}`;
}

export const renderAuditJunit: AuditRenderer = (raw) => {
  const r = sanitizeAudit(raw);
  const threshold = r.verdict.failOn === "never" ? Number.POSITIVE_INFINITY : RANK[r.verdict.failOn];
  const cases: string[] = [];
  let failures = 0;
  const testcase = (classname: string, name: string, file: string, line: number | undefined, findings: Finding[]) => {
    const sorted = sortFindings(findings);
    const failing = sorted.filter((f) => RANK[f.severity] >= threshold);
    const attrs = `classname="${xmlAttr(classname)}" name="${xmlAttr(name)}" file="${xmlAttr(file)}"${line !== undefined ? ` line="${line}"` : ""}`;
    const body: string[] = [];
    if (failing.length > 0) {
      failures++;
      const first = failing[0] as Finding;
      body.push(
        `      <failure message="${xmlAttr(`${first.code}: ${first.message}`)}" type="${xmlAttr(first.code)}">${xmlCdata(failing.map(findingText).join("\n\n"))}</failure>`,
      );
    }
    if (sorted.length > 0)
      body.push(`      <system-out>${xmlCdata(sorted.map(findingText).join("\n\n"))}</system-out>`);
    cases.push(
      body.length === 0 ? `    <testcase ${attrs}/>` : `    <testcase ${attrs}>\n${body.join("\n")}\n    </testcase>`,
    );
  };
  for (const st of r.settings)
    testcase(
      st.location.file,
      `${where(st)} ${settingName(st)} (${settingOrigin(st)}): ${st.redacted}`,
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
};
