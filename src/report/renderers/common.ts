// Display text shared by every renderer, so that text, Markdown, JUnit and GitHub say the same thing.
import type { CommandName, Report } from "../report.js";
import { compareSeverity } from "../report.js";
import type {
  EvidenceValue,
  Finding,
  InputSource,
  ModeResult,
  Severity,
  SourceLocation,
  StageResult,
} from "../types.js";
import { type Section, sectionOf } from "./families.js";

export const SEVERITY_SYMBOL: Record<Severity, string> = { error: "✗", warning: "!", info: "i" };
export const SEVERITY_ORDER: readonly Severity[] = ["error", "warning", "info"];

export function describeSource(source: InputSource): string {
  switch (source.kind) {
    case "argument":
      return "the command-line argument";
    case "env-file":
      return `${source.variable} in ${source.file}:${source.line}`;
    case "env":
      return `environment variable ${source.variable}`;
    case "none":
      return "nowhere (no connection string found)";
  }
}

export function describeLocation(loc: SourceLocation): string {
  return `${loc.file}${loc.line !== undefined ? `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ""}` : ""}`;
}

/** Which sections a command's report shows even when empty (parse has no files, certs no connection string). */
const COMMAND_SECTIONS: Record<CommandName, readonly Section[]> = {
  check: ["connection", "files", "server", "modes"],
  parse: ["connection"],
  certs: ["files"],
  server: ["server"],
  instances: ["connection", "files", "server", "modes"],
  audit: ["connection", "files"],
};

/** A section is shown when its command uses it, when its stage ran or failed, or when it holds findings. */
export function showsSection(report: Report, section: Section): boolean {
  if (COMMAND_SECTIONS[report.command].includes(section)) return true;
  if (report.findings.some((f) => sectionOf(f.code) === section)) return true;
  switch (section) {
    case "connection":
      return report.conninfo !== null || report.input.source.kind !== "none";
    case "files":
      return report.files.status !== "skipped";
    case "server":
      return report.server.status !== "skipped";
    case "modes":
      return report.modes.length > 0;
    case "other":
      return false;
  }
}

/** Findings of one section, worst first, in a stable order. */
export function findingsIn(report: Report, section: Section): Finding[] {
  return sortFindings(report.findings.filter((f) => sectionOf(f.code) === section));
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => [f, i] as const)
    .sort(([a, i], [b, j]) => compareSeverity(a.severity, b.severity) || i - j)
    .map(([f]) => f);
}

export function stageProblem(stage: StageResult<unknown>): string | null {
  if (stage.status === "skipped") return `skipped: ${stage.reason}`;
  if (stage.status === "error") return `could not run: ${stage.reason}`;
  return null;
}

export function okWord(ok: boolean | null): string {
  return ok === true ? "ok" : ok === false ? "refused" : "undecided";
}

export function okSymbol(ok: boolean | null): string {
  return ok === true ? "✓" : ok === false ? "✗" : "?";
}

export function tlsText(mode: ModeResult): string {
  if (mode.tls) return `${mode.tls.protocol} ${mode.tls.cipher}`;
  return mode.encrypted === false ? "plaintext" : "-";
}

export function evidenceText(value: EvidenceValue): string {
  if (Array.isArray(value)) return value.join(", ");
  if (value === null) return "(none)";
  return String(value);
}

/**
 * Facts whose shape other stages extend: flatten any JSON value into `path: value` lines so that a field
 * added later still shows up (in --verbose) before a renderer learns to present it specially.
 */
export function flattenFacts(value: unknown, prefix = "", depth = 0): Array<[string, string]> {
  if (value === undefined) return [];
  if (value === null || typeof value !== "object") return [[prefix || "value", String(value)]];
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) return [[prefix || "value", value.join(", ")]];
    if (depth > 4) return [[prefix, JSON.stringify(value)]];
    return value.flatMap((v, i) => flattenFacts(v, `${prefix}[${i}]`, depth + 1));
  }
  if (depth > 4) return [[prefix, JSON.stringify(value)]];
  return Object.entries(value).flatMap(([k, v]) => flattenFacts(v, prefix ? `${prefix}.${k}` : k, depth + 1));
}

/** The fields of an object other than the ones a renderer already shows. */
export function extraFields(value: object, shown: readonly string[]): Array<[string, string]> {
  return Object.entries(value)
    .filter(([k]) => !shown.includes(k))
    .flatMap(([k, v]) => flattenFacts(v, k));
}

export function modeLabel(report: Report, mode: ModeResult): string {
  return report.verdict.configuredMode === mode.sslmode ? `${mode.sslmode} (configured)` : mode.sslmode;
}

/** One line on the configured mode for the verdict. */
export function configuredModeLine(report: Report): string {
  const v = report.verdict;
  if (v.configuredMode === null) return "no sslmode decided (the connection string could not be read)";
  if (v.configuredModeOk === true) return `${v.configuredMode}: libpq would connect`;
  if (v.configuredModeOk === false) return `${v.configuredMode}: libpq would refuse`;
  return `${v.configuredMode}: not tried live (no attempt decided it)`;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

export const SECTION_TITLES: Record<Section, string> = {
  connection: "Connection string",
  files: "Files",
  server: "Server",
  modes: "sslmode matrix",
  other: "Other findings",
};
