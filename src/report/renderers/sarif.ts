// SARIF 2.1.0 for code-scanning UIs: one rule per finding code used (from the registry, with its https docs anchor
// as helpUri and GitHub's security-severity), one result per finding, pinned to the file, line and column it points
// at: an audit's setting, the .env line a connection string came from. Valid under the OASIS schema
// (fixtures/sarif/, checked by test/unit/report/sarif-schema.test.ts).
//
// Paths: the report's paths are relative to the working directory; code scanning reads a relative URI as relative
// to the repository root. So a file inside the repository (the nearest folder up from the working directory that
// holds .git; without one, the working directory) gets its path from that root with uriBaseId %SRCROOT%, never
// `../`. A file outside it (an --env-file in /etc, a sibling checkout) is no file of the repository: it gets its
// absolute file:// URI, which names it exactly and which code scanning does not match to any repository file.
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { UsageError } from "../../errors.js";
import type { Severity, SourceLocation } from "../../model/finding.js";
import type { Finding } from "../../rules/registry.js";
import { CODES, docsAnchor, isFindingCode } from "../../rules/registry.js";
import { type AnyReport, findingsOf, isAuditReport } from "../kinds.js";
import { familyOf } from "./families.js";
import { sanitizeReport } from "./sanitize.js";
import { isSecurityRule, securitySeverity } from "./security-severity.js";
import type { Renderer } from "./types.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

/** docs/findings.md where users read it, when neither package.json nor DBDOCTOR_DOCS_URL names another place. */
export const DEFAULT_DOCS_URL = "https://github.com/dbdoctor/dbdoctor/blob/main/docs/findings.md";
export const DOCS_URL_VARIABLE = "DBDOCTOR_DOCS_URL";

/** An absolute http(s) URL without its fragment (each rule adds its own), or null. */
export function parseDocsUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  url.hash = "";
  return url.href;
}

/**
 * package.json's `dbdoctor.docsUrl`, from the package this module belongs to (src/ in a checkout, dist/ or
 * dist/chunks/ when built or installed): the first package.json up from here whose name is dbdoctor.
 */
function packageDocsUrl(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; dbdoctor?: { docsUrl?: unknown } };
        if (pkg.name === "dbdoctor") {
          const value = pkg.dbdoctor?.docsUrl;
          return typeof value === "string" ? parseDocsUrl(value) : null;
        }
      } catch {
        // not a package.json we can read: keep looking upward
      }
    }
    dir = dirname(dir);
  }
  return null;
}

/** Where docs/findings.md is read: DBDOCTOR_DOCS_URL, else package.json's dbdoctor.docsUrl, else the default. */
export function docsUrl(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[DOCS_URL_VARIABLE];
  if (fromEnv !== undefined && fromEnv !== "") {
    const parsed = parseDocsUrl(fromEnv);
    if (parsed === null)
      throw new UsageError(
        `${DOCS_URL_VARIABLE}=${fromEnv} is not an absolute http(s) URL`,
        `Set it to the address of docs/findings.md, e.g. ${DEFAULT_DOCS_URL}, or unset it.`,
      );
    return parsed;
  }
  return packageDocsUrl() ?? DEFAULT_DOCS_URL;
}

export function helpUri(code: string, base: string): string {
  const anchor = docsAnchor(code);
  return `${base}${anchor.slice(anchor.indexOf("#"))}`;
}

/** The repository root: the nearest folder from `cwd` up holding .git (a folder, or a file in a worktree); else cwd. */
export function repositoryRoot(cwd: string): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

export interface SarifContext {
  /** docs/findings.md, absolute http(s), no fragment. */
  docsUrl: string;
  /** The absolute working directory the report's relative paths start from. */
  cwd: string;
  /** The absolute folder %SRCROOT% stands for. */
  root: string;
}

export function defaultContext(): SarifContext {
  const cwd = process.cwd();
  return { docsUrl: docsUrl(), cwd, root: repositoryRoot(cwd) };
}

/** A report path as SARIF's artifactLocation: from the repository root when inside it, else an absolute file URI. */
export function artifactLocation(file: string, ctx: SarifContext): { uri: string; uriBaseId?: string } {
  const absolute = resolve(ctx.cwd, file);
  const fromRoot = relative(ctx.root, absolute);
  const outside = fromRoot === "" || fromRoot === ".." || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot);
  if (outside) return { uri: pathToFileURL(absolute).href };
  return { uri: fromRoot.split(sep).map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
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

function result(f: Finding, ruleIndex: number, loc: SourceLocation | undefined, ctx: SarifContext) {
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
              artifactLocation: artifactLocation(loc.file, ctx),
              ...(Object.keys(region).length > 0 ? { region } : {}),
            },
          },
        ]
      : [],
    properties: { subject: f.subject },
  };
}

export function toSarif(raw: AnyReport, ctx: SarifContext = defaultContext()): Record<string, unknown> {
  const report = sanitizeReport(raw);
  const findings = findingsOf(report);
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  const index = new Map(codes.map((c, i) => [c, i]));
  const rules = codes.map((code) => {
    // A report from another dbdoctor version may carry a code this one does not declare.
    const def = isFindingCode(code) ? CODES[code] : undefined;
    const severity = def?.severity ?? findings.find((f) => f.code === code)?.severity ?? "warning";
    const family = familyOf(code);
    return {
      id: code,
      name: code.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : "")),
      shortDescription: { text: def?.title ?? code },
      fullDescription: { text: def?.description ?? code },
      help: { text: def?.hint ?? "" },
      helpUri: helpUri(code, ctx.docsUrl),
      defaultConfiguration: { level: LEVEL[severity] },
      properties: {
        tags: [...(family === null ? [] : [family]), ...(isSecurityRule(code, family) ? ["security"] : [])],
        "security-severity": securitySeverity(code, severity),
      },
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
            informationUri: ctx.docsUrl,
            rules,
          },
        },
        invocations: [{ executionSuccessful: true }],
        columnKind: "utf16CodeUnits",
        results: findings.map((f) => result(f, index.get(f.code) ?? -1, locationOf(report, f), ctx)),
        properties: isAuditReport(report)
          ? { summary: report.summary, verdict: report.verdict }
          : { command: report.command, verdict: report.verdict },
      },
    ],
  };
}

export const renderSarif: Renderer = (report) => `${JSON.stringify(toSarif(report), null, 2)}\n`;
