// .env files, read with the project's python-dotenv port (the rules SkillFlaw's load_dotenv applies), plus the
// column of each value so that findings point at it.
import { parseDotenv, pythonUniversalNewlines } from "../../resolve/dotenv.js";
import { isConnectionSetting } from "../detect.js";
import type { ExtractResult, RawSetting, SourceKind } from "../types.js";

/**
 * The environment `${VAR}` expansion sees. The application's real environment is unknown to an audit, so a
 * reference to a variable the file does not define stays as written (`${DB_PASSWORD}`), instead of
 * python-dotenv's "" for an unset variable, which would invent an empty password.
 */
const KEEP_REFERENCES: Record<string, string | undefined> = new Proxy(
  {},
  { get: (_t, name) => (typeof name === "string" ? `\${${name}}` : undefined) },
);

const KEY_PREFIX = /^[\t\v\f \u00a0]*(?:export[\t ]+)?(?:'[^']+'|[^=#\s]+)[\t\v\f \u00a0]*=[\t\v\f \u00a0]*/u;

/** 1-based column of the value on its key's line: after `KEY=` and the opening quote, if any. */
export function dotenvValueColumn(lineText: string): number {
  const m = KEY_PREFIX.exec(lineText);
  if (m === null) return 1;
  const q = lineText[m[0].length];
  return m[0].length + 1 + (q === '"' || q === "'" ? 1 : 0);
}

export interface DotenvOffset {
  /** Source line of the text's first line. */
  line: number;
  /** Added to every column (the indentation of a YAML block scalar). */
  column: number;
  /** Every setting gets this exact position (text decoded from base64 has no position of its own). */
  fixed?: { line: number; column: number };
}

/** Settings in .env text; `offset` places text embedded in another file (a ConfigMap's `app.env: |`). */
export function extractDotenvText(
  text: string,
  file: string,
  source: SourceKind = "dotenv",
  offset: DotenvOffset = { line: 1, column: 0 },
  extra: Partial<RawSetting> = {},
): ExtractResult {
  const parsed = parseDotenv(text, file, KEEP_REFERENCES);
  const lines = pythonUniversalNewlines(text).split("\n");
  const siblings: Record<string, { value: string; line: number }> = {};
  for (const [k, e] of Object.entries(parsed.vars)) siblings[k] = { value: e.value, line: e.line + offset.line - 1 };
  const settings: RawSetting[] = [];
  for (const [key, e] of Object.entries(parsed.vars)) {
    if (!isConnectionSetting(key, e.value)) continue;
    const pos = offset.fixed ?? {
      line: e.line + offset.line - 1,
      column: dotenvValueColumn(lines[e.line - 1] ?? "") + offset.column,
    };
    settings.push({
      ...extra,
      file,
      line: pos.line,
      column: pos.column,
      variable: key,
      source,
      value: e.value,
      siblings,
    });
  }
  const problems: ExtractResult["problems"] = parsed.problems.map((p) => ({
    file,
    line: offset.fixed?.line ?? p.line + offset.line - 1,
    kind: "dotenv" as const,
    message: p.message,
  }));
  return { settings, problems };
}

/** Does embedded text look like .env content (at least one KEY=value line)? */
export function looksLikeDotenv(text: string): boolean {
  return /^[\t ]*(?:export[\t ]+)?[A-Za-z_][A-Za-z0-9_.-]*[\t ]*=/m.test(text);
}
