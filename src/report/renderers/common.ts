// Display text shared by every renderer, so that text, Markdown, JUnit, GitHub and SARIF say the same thing about
// both kinds of report.

import {
  compareSeverity,
  type EvidenceValue,
  type Severity,
  type SourceLocation,
  worstSeverity,
} from "../../model/finding.js";
import type { InputSource } from "../../model/input.js";
import type { ModeResult } from "../../model/mode.js";
import type { StageResult } from "../../model/stage.js";
import type { PoolerFacts } from "../../ops/pooler-types.js";
import { probeDetailRows } from "../../probe/describe.js";
import type { SessionFacts } from "../../probe/types.js";
import type { Finding } from "../../rules/registry.js";
import type { AuditSetting } from "../audit.js";
import type { Report } from "../report.js";
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
const COMMAND_SECTIONS: Record<Report["command"], readonly Section[]> = {
  check: ["connection", "files", "server", "modes"],
  parse: ["connection"],
  certs: ["files"],
  server: ["server"],
  instances: ["connection", "ops"],
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
    case "ops":
      return report.ops !== undefined;
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
  if (v.configuredMode === null)
    return report.conninfo === null ? "none (no connection string)" : "not decided (libpq would not get that far)";
  if (v.configuredModeOk === true) return `${v.configuredMode}: libpq would connect`;
  if (v.configuredModeOk === false) return `${v.configuredMode}: libpq would refuse`;
  // Only check tries the sslmodes live; elsewhere the configured mode is simply what libpq would use.
  if (report.command !== "check") return `${v.configuredMode} (configured; only dbdoctor check tries it live)`;
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
  ops: "Operations",
  other: "Other findings",
};

/** A field by dotted path from facts another stage owns (read defensively: its shape may still grow). */
export function pick(value: unknown, path: string): unknown {
  let v: unknown = value;
  for (const key of path.split(".")) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The headline facts of one probed endpoint as [label, ok, text] rows (ok: true/false, or null for neutral):
 * the SSLRequest answer, the TLS session, and the chain and host-name judgments.
 */
export function endpointHeadlines(endpoint: object): Array<[string, boolean | null, string]> {
  const rows: Array<[string, boolean | null, string]> = [];
  const skipped = str(pick(endpoint, "skipped"));
  if (skipped) rows.push(["probe", null, `skipped: ${skipped}`]);
  const reply = str(pick(endpoint, "sslRequest.reply"));
  if (reply)
    rows.push([
      "SSLRequest",
      reply === "S",
      reply === "S"
        ? "S: the server accepts TLS"
        : reply === "N"
          ? "N: the server refuses TLS"
          : `${reply}${str(pick(endpoint, "sslRequest.libpqMessage")) ? `: ${str(pick(endpoint, "sslRequest.libpqMessage"))}` : ""}`,
    ]);
  const tlsOk = pick(endpoint, "tls.ok");
  if (typeof tlsOk === "boolean") {
    const sni = pick(endpoint, "tls.sni");
    const parts = [str(pick(endpoint, "tls.protocol")), str(pick(endpoint, "tls.cipher"))].filter(Boolean).join(" ");
    rows.push([
      "TLS",
      tlsOk,
      tlsOk
        ? `${parts || "handshake completed"}${typeof sni === "string" ? `, SNI ${sni}` : sni === null ? ", no SNI" : ""}`
        : (str(pick(endpoint, "tls.failure.libpqMessage")) ??
          str(pick(endpoint, "tls.failure.reason")) ??
          "handshake failed"),
    ]);
  }
  const chainOk = pick(endpoint, "chain.ok");
  if (chainOk === true || chainOk === false || chainOk === null) {
    const trust = str(pick(endpoint, "chain.trust.path")) ?? str(pick(endpoint, "chain.trust.kind"));
    const msg = str(pick(endpoint, "chain.message")) ?? str(pick(endpoint, "chain.reason"));
    rows.push([
      "chain",
      chainOk,
      chainOk === true
        ? `verifies${trust ? ` against ${trust}` : ""}`
        : chainOk === false
          ? (msg ?? "does not verify")
          : `not judged${msg ? `: ${msg}` : str(pick(endpoint, "chain.trust.reason")) ? `: ${str(pick(endpoint, "chain.trust.reason"))}` : ""}`,
    ]);
  }
  const hostOk = pick(endpoint, "hostname.ok");
  if (typeof hostOk === "boolean") {
    const host = str(pick(endpoint, "hostname.host")) ?? "";
    const matched = str(pick(endpoint, "hostname.matched"));
    rows.push([
      "host name",
      hostOk,
      hostOk
        ? `${host} matches${matched ? ` ${matched}` : ""}`
        : (str(pick(endpoint, "hostname.message")) ?? `${host} does not match`),
    ]);
  }
  rows.push(...probeDetailRows(endpoint));
  return rows;
}

/** The pooler the report's operations facts show (likely or certain), whose link the server's view describes. */
export function reportPooler(report: Report): PoolerFacts | undefined {
  const p = report.ops?.status === "completed" ? report.ops.value.pooler : undefined;
  return p && p.confidence !== "possible" ? p : undefined;
}

/**
 * One line on the server's own view of the session dbdoctor established (pg_stat_ssl and settings). Behind a pooler
 * pg_stat_ssl describes the pooler's link to the server, and the line says so next to the client's own TLS.
 */
export function sessionLine(session: SessionFacts, pooler?: PoolerFacts): string {
  const tls = session.ssl ? `SSL ${session.sslVersion ?? "?"} ${session.sslCipher ?? ""}`.trim() : "no SSL";
  const dn = session.clientDn ? `, client certificate ${session.clientDn}` : "";
  if (pooler)
    return `PostgreSQL ${session.serverVersion}, ssl = ${session.sslSetting}; pg_stat_ssl for ${pooler.name}'s link to the server: ${tls}${dn}; the client's sslmode=${session.sslmode} session to ${pooler.name}: ${pooler.clientTls ?? "no TLS"}`;
  return `PostgreSQL ${session.serverVersion}, ssl = ${session.sslSetting}; pg_stat_ssl for our sslmode=${session.sslmode} session: ${tls}${dn}`;
}

// The audit's settings.

const SOURCE_TEXT: Record<AuditSetting["source"], string> = {
  dotenv: ".env",
  compose: "docker-compose",
  "kubernetes-env": "Kubernetes env",
  "kubernetes-configmap": "ConfigMap",
  "kubernetes-secret": "Secret",
  "helm-values": "Helm values",
  yaml: "YAML",
  json: "JSON",
  text: "text",
};

const CLIENT_TEXT: Record<NonNullable<AuditSetting["client"]>, string> = {
  jdbc: "pgjdbc",
  "node-postgres": "node-postgres",
  pgx: "pgx",
  unknown: "an unknown client",
};

/** `file:line:column` of the setting's value. */
export function settingWhere(s: AuditSetting): string {
  return `${s.location.file}:${s.location.line}:${s.location.column}`;
}

export function settingName(s: AuditSetting): string {
  return s.variable ?? s.path ?? "(URL in text)";
}

/** How the setting was found: `.env`, `Secret (base64)`, `Helm values at db.url`. */
export function settingOrigin(s: AuditSetting): string {
  const parts = [SOURCE_TEXT[s.source]];
  if (s.base64) parts.push("base64-decoded");
  if (s.path && s.path !== s.variable) parts.push(`at ${s.path}`);
  if (s.form === "parts") parts.push("assembled from separate keys");
  if (s.form === "environment") parts.push("PG* variables");
  if (s.example) parts.push("example file");
  if (s.inactive) parts.push(`not used as written: ${s.inactive}`);
  const reader = s.client
    ? `${CLIENT_TEXT[s.client]}, mapped to libpq`
    : s.urlStyle === "sqlalchemy"
      ? "SQLAlchemy"
      : "libpq";
  const unknown = Object.entries(s.placeholders ?? {}).map(([k, v]) => `${k}=${v}`);
  return `${parts.join(", ")}; read as ${reader} ${s.format}${unknown.length > 0 ? `; unknown: ${unknown.join(", ")}` : ""}`;
}

export function settingWorst(s: AuditSetting): Severity | null {
  return worstSeverity(s.findings);
}
