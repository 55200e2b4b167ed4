// The AuditReport: every setting the audit measured with its findings, the file findings, the probed servers, the
// summary counts and the verdict. The stage facts it carries are src/audit/types.ts's.
import type { AuditServer, SettingFacts, SourceKind } from "../audit/types.js";
import type { FailOn } from "../model/options.js";
import type { Finding } from "../rules/registry.js";
import { VERSION } from "../version.js";
import type { VerdictStatus } from "./report.js";

export interface AuditSetting extends SettingFacts {
  findings: Finding[];
}

export interface AuditSummary {
  files: number;
  settings: number;
  errors: number;
  warnings: number;
  infos: number;
  byRule: Record<string, number>;
  skipped: number;
}

export interface AuditReport {
  schemaVersion: 1;
  tool: { name: "dbdoctor"; version: string };
  command: "audit";
  generatedAt: string;
  inputs: {
    paths: string[];
    include: string[];
    exclude: string[];
    /** --no-ignore: files .gitignore excludes were read too. */
    noIgnore?: true;
    live: boolean;
    libpqMajor: number;
    /** How relative paths and the environment were modelled (the report states its assumptions). */
    assumptions: string[];
  };
  /** Every file read, relative to the working directory. */
  files: Array<{ path: string; kind: SourceKind | "other"; settings: number }>;
  skipped: Array<{ path: string; reason: string }>;
  settings: AuditSetting[];
  /** Findings about files rather than settings (syntax errors, unreadable files). */
  fileFindings: Finding[];
  servers: AuditServer[];
  summary: AuditSummary;
  verdict: { status: VerdictStatus; failOn: FailOn; summary: string };
  timings: Record<string, number>;
}

/** Every finding of the report: the files', then the settings'. */
export function allFindings(r: Pick<AuditReport, "settings" | "fileFindings">): Finding[] {
  return [...r.fileFindings, ...r.settings.flatMap((s) => s.findings)];
}

/** Every finding points somewhere: at the setting's value, unless it already points into another file or line. */
export function placeFinding(f: Finding, at: { file: string; line: number; column: number }): Finding {
  const loc = f.location;
  if (loc === undefined) return { ...f, location: { ...at } };
  if (loc.file === at.file && loc.line === at.line && loc.column === undefined) return { ...f, location: { ...at } };
  return f;
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
