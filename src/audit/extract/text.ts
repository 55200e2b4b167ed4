// Plain text (scripts, runbooks, logs, Dockerfiles, docs): every PostgreSQL or JDBC URL on any line with its column
// (placeholders inside kept), every libpq keyword/value string (`psql "host=db.prod sslmode=disable"`), and the
// variables a script sets (`export PGSSLMODE=disable`, `ENV PGHOST db`, `PGPASSWORD=... psql`), which make one
// environment per file.
import { findUrlsInLine, isKeywordValue } from "../detect.js";
import { PG_ENV } from "../families.js";
import type { ExtractResult, RawSetting, SourceKind } from "../types.js";
import { readEnvironment } from "./environment.js";

/** libpq's keywords as written in keyword/value strings (lower case, exact). */
const KV_KEYWORDS = new Set([
  "host",
  "hostaddr",
  "port",
  "dbname",
  "user",
  "password",
  "passfile",
  "sslmode",
  "sslrootcert",
  "sslcert",
  "sslkey",
  "sslcrl",
  "sslpassword",
  "sslnegotiation",
  "connect_timeout",
  "application_name",
  "options",
  "target_session_attrs",
  "gssencmode",
  "channel_binding",
  "service",
  "requiressl",
]);

/** One `keyword=value` pair at a position (value unquoted or single-quoted with libpq's escapes). */
const KV_PAIR = /([a-z_]+)[ \t]*=[ \t]*('(?:\\.|[^'\\])*'|[^\s'"`;|&)]+)/y;
const KV_GAP = /[ \t]+/y;

/**
 * Keyword/value strings inside a line: runs of at least two libpq pairs with one of host, hostaddr, dbname or
 * sslmode, not inside a URL found on the same line (`taken`).
 */
export function findKeywordValueRuns(
  line: string,
  taken: ReadonlyArray<readonly [number, number]> = [],
): Array<{ index: number; text: string }> {
  const out: Array<{ index: number; text: string }> = [];
  if (!/(?:host|hostaddr|dbname|sslmode)\s*=/.test(line)) return out;
  const starts = /(^|[\s"'`(])([a-z_]+)[ \t]*=/g;
  for (let m = starts.exec(line); m !== null; m = starts.exec(line)) {
    const start = m.index + (m[1] as string).length;
    if (!KV_KEYWORDS.has(m[2] as string) || taken.some(([a, b]) => start >= a && start < b)) continue;
    let end = start;
    let count = 0;
    let pos = start;
    for (;;) {
      KV_PAIR.lastIndex = pos;
      const p = KV_PAIR.exec(line);
      if (p === null || !KV_KEYWORDS.has(p[1] as string)) break;
      count++;
      end = KV_PAIR.lastIndex;
      KV_GAP.lastIndex = end;
      if (!KV_GAP.test(line)) break;
      pos = KV_GAP.lastIndex;
    }
    if (count < 2) continue;
    const text = line.slice(start, end);
    if (isKeywordValue(text)) out.push({ index: start, text });
    starts.lastIndex = Math.max(starts.lastIndex, end);
  }
  return out;
}

/** The variables a script sets that make connections: libpq's PG*, n8n's DB_POSTGRESDB_*, and the usual suffixes. */
const NAME =
  "(PG[A-Z_]+|DB_POSTGRESDB_[A-Z_]+|DB_TYPE|[A-Z][A-Z0-9_]*_(?:DATABASE_URL|HOST|PORT|PASSWORD|USER|SSL_?MODE))";
/** A value: double- or single-quoted, or a bare word (a Markdown backtick ends it). */
const VALUE = `("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s;&|)\`'"]*)`;
/** `export PGSSLMODE=disable`, `PGPASSWORD=x pg_dump ...`, `set PGUSER=app`, `$env:PGHOST="db"`, `ENV PGHOST=db`. */
const ASSIGNMENT = new RegExp(`(?:^|[\\s;&|(\`])(?:export\\s+|ENV\\s+|set\\s+|\\$env:)?${NAME}\\s*=\\s*${VALUE}`, "g");
/** A Dockerfile's `ENV PGHOST db` (name and value separated by spaces). */
const DOCKER_ENV = new RegExp(`^\\s*ENV\\s+${NAME}\\s+${VALUE}`, "g");

export function extractTextUrls(
  text: string,
  file: string,
  source: SourceKind = "text",
  at: { line: number; column: number } = { line: 1, column: 0 },
  extra: Partial<RawSetting> = {},
): ExtractResult {
  const settings: RawSetting[] = [];
  // Cheap pre-check: most files in a tree hold nothing of ours.
  if (!/postgres|sslmode|host\s*=|dbname\s*=|PG[A-Z]|DB_POSTGRESDB/i.test(text)) return { settings, problems: [] };
  const lines = text.split(/\r\n|\n|\r/);
  const vars: Record<string, { value: string; line: number; column: number }> = {};
  for (const [i, line] of lines.entries()) {
    const taken: Array<[number, number]> = [];
    for (const { index, url } of findUrlsInLine(line)) {
      taken.push([index, index + url.length]);
      settings.push({ ...extra, file, line: at.line + i, column: at.column + index + 1, source, value: url });
    }
    for (const { index, text: kv } of findKeywordValueRuns(line, taken))
      settings.push({ ...extra, file, line: at.line + i, column: at.column + index + 1, source, value: kv });
    if (!/PG[A-Z]|DB_|_HOST|_PORT|_PASSWORD|_USER|_SSL/.test(line)) continue;
    for (const re of [ASSIGNMENT, DOCKER_ENV]) {
      re.lastIndex = 0;
      for (let m = re.exec(line); m !== null; m = re.exec(line)) {
        const name = m[1] as string;
        if (name.startsWith("PG") && !(name in PG_ENV)) continue;
        let value = m[2] as string;
        let col = m.index + m[0].length - value.length;
        if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
          value = value.slice(1, -1);
          col++;
        }
        vars[name] = { value, line: at.line + i, column: at.column + col + 1 };
      }
    }
  }
  const names = Object.keys(vars);
  if (names.length === 0) return { settings, problems: [] };
  // A script's variables are one environment; its URLs (already settings) see them as libpq's environment.
  const first = vars[names[0] as string] as { line: number; column: number };
  const env = readEnvironment({
    record: {
      id: `script:${file}:${at.line}`,
      file,
      line: first.line,
      column: first.column,
      label: file,
      kind: "script",
      host: null,
      isolated: false,
    },
    vars,
    source,
    extra,
    urlsElsewhere: settings.length > 0,
  });
  const siblings = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, { value: v.value, line: v.line }]));
  for (const s of settings) s.siblings = siblings;
  // URL variables were found by the line scan already.
  const own = env.settings.filter((s) => s.form !== undefined);
  return { settings: [...settings, ...own], problems: [], environments: [env.record] };
}
