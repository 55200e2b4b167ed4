// The AuditReport: summary counts, verdict and exit code over every setting's findings and the file findings.

import type { FailOn } from "../model/options.js";
import { exitCodeFor } from "../report/report.js";
import type { Finding } from "../rules/registry.js";
import { finding } from "../rules/registry.js";
import { VERSION } from "../version.js";
import type { AuditReport, AuditServer, AuditSetting, AuditSummary, FileProblem } from "./types.js";

/** Every finding of the report: the settings' and the files'. */
export function allFindings(r: Pick<AuditReport, "settings" | "fileFindings">): Finding[] {
  return [...r.fileFindings, ...r.settings.flatMap((s) => s.findings)];
}

export function summarize(
  files: number,
  settings: readonly AuditSetting[],
  fileFindings: readonly Finding[],
  skipped: number,
): AuditSummary {
  const s: AuditSummary = { files, settings: settings.length, errors: 0, warnings: 0, infos: 0, byRule: {}, skipped };
  const count = (f: Finding) => {
    if (f.severity === "error") s.errors++;
    else if (f.severity === "warning") s.warnings++;
    else s.infos++;
    s.byRule[f.code] = (s.byRule[f.code] ?? 0) + 1;
  };
  for (const f of fileFindings) count(f);
  for (const st of settings) for (const f of st.findings) count(f);
  // Stable order for diffs: most frequent first, then by code.
  s.byRule = Object.fromEntries(
    Object.entries(s.byRule).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)),
  );
  return s;
}

export function problemFinding(p: FileProblem): Finding {
  const location = {
    file: p.file,
    ...(p.line !== undefined ? { line: p.line } : {}),
    ...(p.column !== undefined ? { column: p.column } : {}),
  };
  if (p.kind === "dotenv") return finding("env.dotenv-problem", p.file, p.message, { location });
  if (p.kind === "unreadable") return finding("audit.unreadable-file", p.file, p.message, { location });
  return finding(
    "audit.unparseable-file",
    p.file,
    `${p.file}${p.line !== undefined ? `:${p.line}` : ""}: ${p.message}`,
    {
      location,
    },
  );
}

export function buildAuditReport(parts: {
  inputs: AuditReport["inputs"];
  files: AuditReport["files"];
  skipped: AuditReport["skipped"];
  settings: AuditSetting[];
  fileFindings: Finding[];
  servers: AuditServer[];
  failOn: FailOn;
  timings: Record<string, number>;
  now?: Date;
}): AuditReport {
  const summary = summarize(parts.files.length, parts.settings, parts.fileFindings, parts.skipped.length);
  const status = summary.errors > 0 ? "fail" : summary.warnings > 0 ? "warn" : "pass";
  const counts = [
    [summary.errors, "error"],
    [summary.warnings, "warning"],
    [summary.infos, "info"],
  ] as const;
  const found = counts.filter(([n]) => n > 0).map(([n, w]) => `${n} ${w}${n === 1 ? "" : "s"}`);
  const text = `${summary.settings} setting${summary.settings === 1 ? "" : "s"} in ${summary.files} file${summary.files === 1 ? "" : "s"}: ${found.length ? found.join(", ") : "no problems found"}`;
  return {
    schemaVersion: 1,
    tool: { name: "dbdoctor", version: VERSION },
    command: "audit",
    generatedAt: (parts.now ?? new Date()).toISOString(),
    inputs: parts.inputs,
    files: parts.files,
    skipped: parts.skipped,
    settings: parts.settings,
    fileFindings: parts.fileFindings,
    servers: parts.servers,
    summary,
    verdict: { status, failOn: parts.failOn, summary: text },
    timings: parts.timings,
  };
}

/** DESIGN.md exit codes over every finding of the audit. */
export function auditExitCode(report: AuditReport, failOn: FailOn): 0 | 1 {
  return exitCodeFor(allFindings(report), failOn);
}
