// SARIF 2.1.0 for code-scanning UIs: one rule per finding code used (from the registry, with its docs anchor as
// helpUri), one result per finding, pinned to the file, line and column of the setting.
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Severity } from "../../model/finding.js";
import type { Finding } from "../../rules/registry.js";
import { CODES, docsAnchor } from "../../rules/registry.js";
import type { CodeSpec } from "../../rules/rule.js";
import { allFindings } from "../report.js";
import type { AuditReport } from "../types.js";
import type { AuditRenderer } from "./index.js";
import { sanitizeAudit } from "./sanitize.js";

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

function result(f: Finding, ruleIndex: number) {
  const loc = f.location;
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

export function toSarif(raw: AuditReport): Record<string, unknown> {
  const report = sanitizeAudit(raw);
  const findings = allFindings(report);
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  const index = new Map(codes.map((c, i) => [c, i]));
  const base = docsBase();
  const defs: Record<string, CodeSpec> = CODES;
  const rules = codes.map((code) => {
    const def = defs[code];
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
        results: findings.map((f) => result(f, index.get(f.code) ?? -1)),
        properties: { summary: report.summary, verdict: report.verdict },
      },
    ],
  };
}

export const renderAuditSarif: AuditRenderer = (report) => `${JSON.stringify(toSarif(report), null, 2)}\n`;
