// SARIF 2.1.0 for code-scanning UIs: one rule per finding code used (from the registry, with its docs anchor as
// helpUri), one result per finding, pinned to the file, line and column it points at: an audit's setting, the .env
// line a connection string came from.
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Severity, SourceLocation } from "../../model/finding.js";
import type { Finding } from "../../rules/registry.js";
import { CODES, docsAnchor, isFindingCode } from "../../rules/registry.js";
import { type AnyReport, findingsOf, isAuditReport } from "../kinds.js";
import { sanitizeReport } from "./sanitize.js";
import type { Renderer } from "./types.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

/** The installed package's docs/findings.md: helpUri must be an absolute URI (SARIF's "format": "uri"). */
function docsBase(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "docs", "findings.md");
    if (existsSync(candidate)) return pathToFileURL(candidate).href;
    dir = dirname(dir);
  }
  return null;
}

export function helpUri(code: string, base: string | null = docsBase()): string {
  const anchor = docsAnchor(code);
  const fragment = anchor.slice(anchor.indexOf("#"));
  return base === null ? anchor : `${base}${fragment}`;
}

/** A report path (relative to the working directory, forward slashes) as a URI reference. */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split("/").map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
}

/**
 * Where a result points: the finding's own location; in a single-setting report, a finding without one (the
 * server's, the sslmode matrix's) points at the .env line the connection string came from, the line to change
 * (code-scanning UIs drop a result without a location).
 */
function locationOf(report: AnyReport, f: Finding): SourceLocation | undefined {
  if (f.location || isAuditReport(report)) return f.location;
  const source = report.input.source;
  return source.kind === "env-file" ? { file: source.file, line: source.line } : undefined;
}

function result(f: Finding, ruleIndex: number, loc: SourceLocation | undefined) {
  const region: Record<string, number> = {};
  if (loc?.line !== undefined) region.startLine = loc.line;
  if (loc?.line !== undefined && loc.column !== undefined) region.startColumn = loc.column;
  return {
    ruleId: f.code,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.hint ? `${f.message}\nFix: ${f.hint}` : f.message },
    locations: loc
      ? [
          {
            physicalLocation: {
              artifactLocation: artifactLocation(loc.file),
              ...(Object.keys(region).length > 0 ? { region } : {}),
            },
          },
        ]
      : [],
    properties: { subject: f.subject },
  };
}

export function toSarif(raw: AnyReport): Record<string, unknown> {
  const report = sanitizeReport(raw);
  const findings = findingsOf(report);
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  const index = new Map(codes.map((c, i) => [c, i]));
  const base = docsBase();
  const rules = codes.map((code) => {
    // A report from another dbdoctor version may carry a code this one does not declare.
    const def = isFindingCode(code) ? CODES[code] : undefined;
    return {
      id: code,
      name: code.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : "")),
      shortDescription: { text: def?.title ?? code },
      fullDescription: { text: def?.description ?? code },
      help: { text: def?.hint ?? "" },
      helpUri: helpUri(code, base),
      defaultConfiguration: { level: LEVEL[def?.severity ?? "warning"] },
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "dbdoctor",
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: base ?? "https://www.npmjs.com/package/dbdoctor",
            rules,
          },
        },
        invocations: [{ executionSuccessful: true }],
        columnKind: "utf16CodeUnits",
        results: findings.map((f) => result(f, index.get(f.code) ?? -1, locationOf(report, f))),
        properties: isAuditReport(report)
          ? { summary: report.summary, verdict: report.verdict }
          : { command: report.command, verdict: report.verdict },
      },
    ],
  };
}

export const renderSarif: Renderer = (report) => `${JSON.stringify(toSarif(report), null, 2)}\n`;
