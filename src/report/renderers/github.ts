// GitHub Actions workflow commands: each finding becomes an annotation, pinned to the .env line (or, in an audit,
// the file, line and column of the setting) it points at.
// Escaping follows @actions/core (toolkit/packages/core/src/command.ts): data escapes % CR LF; properties
// additionally escape ':' and ','.

import type { Severity } from "../../model/finding.js";
import type { Finding } from "../../rules/registry.js";
import { type AuditReport, allFindings } from "../audit.js";
import { isAuditReport } from "../kinds.js";
import type { Report } from "../report.js";
import { SECTION_TITLES, sortFindings, stageProblem } from "./common.js";
import { sanitizeReport } from "./sanitize.js";
import type { Renderer } from "./types.js";

export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const COMMAND: Record<Severity, "error" | "warning" | "notice"> = {
  error: "error",
  warning: "warning",
  info: "notice",
};

function command(name: string, props: Array<[string, string | number | undefined]>, message: string): string {
  const p = props
    .filter((x): x is [string, string | number] => x[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::${name}${p ? ` ${p}` : ""}::${escapeData(message)}`;
}

function findingCommand(f: Finding): string {
  const message = f.hint ? `${f.message}\nFix: ${f.hint}` : f.message;
  return command(
    COMMAND[f.severity],
    [
      ["file", f.location?.file],
      ["line", f.location?.line],
      ["col", f.location?.line !== undefined ? f.location.column : undefined],
      ["title", `dbdoctor ${f.code} (${f.subject})`],
    ],
    message,
  );
}

function reportGithub(report: Report): string {
  const out = sortFindings(report.findings).map(findingCommand);
  // A stage that could not run is not a pass: say so where the run's annotations are read.
  for (const [title, stage] of [
    [SECTION_TITLES.files, report.files],
    [SECTION_TITLES.server, report.server],
  ] as const) {
    if (stage.status === "error")
      out.push(command("warning", [["title", `dbdoctor: ${title} check could not run`]], stageProblem(stage) ?? ""));
  }
  const v = report.verdict;
  const configured = report.modes.find((m) => m.sslmode === v.configuredMode);
  // The refusal gets its own annotation only when no finding carries it already (e.g. a report whose rules pass
  // was cut short): the matrix rule's finding is the one that says the configured mode fails.
  if (configured?.ok === false && !report.findings.some((f) => f.code === "session.configured-mode-fails")) {
    out.push(
      command(
        "error",
        [["title", `dbdoctor: sslmode=${configured.sslmode} refused`]],
        `libpq would refuse the configured sslmode=${configured.sslmode} at stage ${configured.stage}${configured.message ? `: ${configured.message}` : ""}`,
      ),
    );
  }
  out.push(`dbdoctor ${report.command}: ${v.status} - ${escapeData(v.summary)}`);
  return `${out.join("\n")}\n`;
}

function auditGithub(report: AuditReport): string {
  const out = allFindings(report).map(findingCommand);
  out.push(`dbdoctor audit: ${report.verdict.status} - ${escapeData(report.verdict.summary)}`);
  return `${out.join("\n")}\n`;
}

export const renderGithub: Renderer = (raw) => {
  const report = sanitizeReport(raw);
  return isAuditReport(report) ? auditGithub(report) : reportGithub(report);
};
