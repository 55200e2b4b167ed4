// GitHub Actions workflow commands: one annotation per finding, pinned to file, line and column.

import type { Severity } from "../../model/finding.js";
import { escapeData, escapeProperty } from "../../report/renderers/github.js";
import type { Finding } from "../../rules/registry.js";
import { allFindings } from "../report.js";
import type { AuditRenderer } from "./index.js";
import { sanitizeAudit } from "./sanitize.js";

const COMMAND: Record<Severity, "error" | "warning" | "notice"> = {
  error: "error",
  warning: "warning",
  info: "notice",
};

function annotation(f: Finding): string {
  const props: Array<[string, string | number | undefined]> = [
    ["file", f.location?.file],
    ["line", f.location?.line],
    ["col", f.location?.line !== undefined ? f.location.column : undefined],
    ["title", `dbdoctor ${f.code} (${f.subject})`],
  ];
  const p = props
    .filter((x): x is [string, string | number] => x[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  const message = f.hint ? `${f.message}\nFix: ${f.hint}` : f.message;
  return `::${COMMAND[f.severity]} ${p}::${escapeData(message)}`;
}

export const renderAuditGithub: AuditRenderer = (raw) => {
  const report = sanitizeAudit(raw);
  const out = allFindings(report).map(annotation);
  out.push(`dbdoctor audit: ${report.verdict.status} - ${escapeData(report.verdict.summary)}`);
  return `${out.join("\n")}\n`;
};
