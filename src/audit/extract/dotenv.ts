// .env files, read with the project's python-dotenv port (the rules SkillFlaw's load_dotenv applies), plus the
// column of each value so that findings point at it. The file is one environment: its URL variables, families of
// variables and PG* variables become settings (extract/environment.ts).
import { dirname } from "node:path";
import { parseDotenv, pythonUniversalNewlines } from "../../resolve/dotenv.js";
import type { EnvVars } from "../families.js";
import type { EnvironmentRecord, ExtractResult, RawSetting, SettingContext, SourceKind } from "../types.js";
import { readEnvironment } from "./environment.js";

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

export interface DotenvEnvironment {
  id: string;
  label: string;
  kind: EnvironmentRecord["kind"];
  host: string | null;
  isolated: boolean;
  context?: SettingContext;
}

/** Settings in .env text; `offset` places text embedded in another file (a ConfigMap's `app.env: |`). */
export function extractDotenvText(
  text: string,
  file: string,
  source: SourceKind = "dotenv",
  offset: DotenvOffset = { line: 1, column: 0 },
  extra: Partial<RawSetting> = {},
  env?: DotenvEnvironment,
): ExtractResult {
  const parsed = parseDotenv(text, file, KEEP_REFERENCES);
  const lines = pythonUniversalNewlines(text).split("\n");
  const vars: Record<string, EnvVars[string]> = {};
  for (const [k, e] of Object.entries(parsed.vars)) {
    const pos = offset.fixed ?? {
      line: e.line + offset.line - 1,
      column: dotenvValueColumn(lines[e.line - 1] ?? "") + offset.column,
    };
    vars[k] = { value: e.value, line: pos.line, column: pos.column };
  }
  const first = offset.fixed ?? { line: offset.line, column: offset.column + 1 };
  const { settings, record } = readEnvironment({
    record: {
      id: env?.id ?? `dotenv:${file}`,
      file,
      line: first.line,
      column: first.column,
      label: env?.label ?? file,
      kind: env?.kind ?? "dotenv",
      // Processes started with .env files of one directory run on one machine (an assumption the report states).
      host: env ? env.host : `dir:${dirname(file)}`,
      isolated: env?.isolated ?? false,
    },
    vars,
    source,
    extra,
    ...(env?.context ? { context: env.context } : {}),
  });
  const problems: ExtractResult["problems"] = parsed.problems.map((p) => ({
    file,
    line: offset.fixed?.line ?? p.line + offset.line - 1,
    kind: "dotenv" as const,
    message: p.message,
  }));
  return { settings, problems, environments: [record] };
}

/**
 * Does embedded text read as .env content? Most of its statements must be KEY=value lines: a script or Python code
 * in a YAML block scalar (`x = compute()`, `import os`) is not a .env file even where one line looks like one.
 */
export function looksLikeDotenv(text: string): boolean {
  let assignments = 0;
  let other = 0;
  for (const raw of text.split("\n", 400)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (/^(?:export[\t ]+)?[A-Za-z_][A-Za-z0-9_.-]*=(?:\S|$)/.test(line) && !/^\w+=\(/.test(line)) assignments++;
    else other++;
  }
  return assignments > 0 && assignments >= 2 * other;
}
