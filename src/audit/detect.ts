// Which values are PostgreSQL connection settings. Named URL variables count even when their value is malformed
// (a typo in the scheme is exactly what a review should catch) unless they carry another system's scheme; other
// values count only when they look like a PostgreSQL URL (postgres, postgresql, postgresql+driver, jdbc:postgresql)
// or a libpq keyword/value string. Placeholders are not values: a value that is only `${DATABASE_URL}` refers to a
// setting made elsewhere.
import { findPlaceholders, isOnlyPlaceholder, placeholderToken } from "./placeholders.js";
import { routeValue } from "./schemes.js";

/**
 * Variables whose value is a database URL by convention: SkillFlaw's own, the twelve-factor DATABASE_URL and the
 * `*_DATABASE_URL` family (LANGFLOW_DATABASE_URL, N8N_DATABASE_URL, SQLALCHEMY_DATABASE_URI...).
 */
const URL_VARIABLE = /^(?:[A-Z0-9_]+_)?(?:DATABASE|DB|POSTGRES|POSTGRESQL|PG)_(?:URL|URI|DSN)$/;

/** The application variables read by SQLAlchemy (SkillFlaw, and Langflow whose settings it copies). */
const APP_URL_VARIABLE = /^(?:SKILLFLAW|LANGFLOW)_DATABASE_URL$/;

/** postgres://, postgresql://, postgresql+driver:// (SQLAlchemy), case-insensitive like both parsers. */
export const PG_URL_START = /^postgres(?:ql)?(?:\+[A-Za-z0-9_]+)?:\/\//i;

/** libpq keywords that make a key=value string a connection string (the brief's host=/dbname=/sslmode=). */
const KV_ANCHOR = /(?:^|\s)(?:host|hostaddr|dbname|sslmode)\s*=/;
/** The whole value is `key=value` pairs: starts with a keyword and has no URL scheme. */
const KV_SHAPE = /^\s*[a-z_]+\s*=\s*\S/;

export function isPgUrl(value: string): boolean {
  return PG_URL_START.test(value.trim()) || /^jdbc:postgresql:/i.test(value.trim());
}

export function isKeywordValue(value: string): boolean {
  return !value.includes("://") && KV_SHAPE.test(value) && KV_ANCHOR.test(value);
}

function bare(name: string): string {
  return name.replace(/^\ufeff/, "").toUpperCase();
}

/** A URL variable, compared without case (a lower-case SKILLFLAW_DATABASE_URL is itself a finding). */
export function isUrlVariable(name: string | undefined): boolean {
  return name !== undefined && URL_VARIABLE.test(bare(name));
}

/** SKILLFLAW_DATABASE_URL or LANGFLOW_DATABASE_URL: read by SQLAlchemy, part of an application instance. */
export function isAppUrlVariable(name: string | undefined): boolean {
  return name !== undefined && APP_URL_VARIABLE.test(bare(name));
}

/** Should this value be audited as a PostgreSQL connection setting? */
export function isConnectionSetting(variable: string | undefined, value: string): boolean {
  const v = value.trim();
  if (v === "" || isOnlyPlaceholder(v)) return false;
  const route = routeValue(v);
  if (route === "other") return false;
  if (route === "jdbc" || isPgUrl(v)) return true;
  if (route === "keyword-value" && isKeywordValue(v)) return true;
  if (route === "libpq") return true; // a scheme one typo away from postgres
  // A named URL variable: audit what it holds (a malformed value is a finding) unless it has another scheme.
  return isUrlVariable(variable);
}

/** A password that only stands for one (`${DB_PASSWORD}`, `{{ .Values.pw }}`, `<password>`): not a leaked secret. */
export function isPlaceholderSecret(secret: string): boolean {
  return isOnlyPlaceholder(secret) || /^\*+$/.test(secret);
}

/**
 * Connection strings inside a line of free text (logs, docs, scripts): PostgreSQL and JDBC URLs with their
 * placeholders (`postgres://${USER}:${PASSWORD}@db/app?sslmode=disable` is one URL, not `postgres://$`), as start
 * index and text.
 */
export function findUrlsInLine(line: string): Array<{ index: number; url: string }> {
  const out: Array<{ index: number; url: string }> = [];
  if (!/postgres/i.test(line)) return out;
  // Placeholders may hold characters that end a URL in prose (spaces in ${{ expr }}, braces): measure the URL on a
  // copy where each is one token, then map back to the line.
  const holes = findPlaceholders(line, { bareDollar: true });
  let flat = line;
  const starts: number[] = [];
  const ends: number[] = [];
  if (holes.length > 0) {
    flat = "";
    let at = 0;
    for (const [n, h] of holes.entries()) {
      flat += line.slice(at, h.start);
      starts.push(flat.length);
      flat += placeholderToken(n);
      ends.push(flat.length);
      at = h.end;
    }
    flat += line.slice(at);
  }
  const toLine = (i: number): number => {
    let shift = 0;
    for (const [n, h] of holes.entries()) {
      const s = starts[n] as number;
      const e = ends[n] as number;
      if (i <= s) break;
      if (i >= e) shift += h.end - h.start - (e - s);
      else return h.start;
    }
    return i + shift;
  };
  const re = /(?:jdbc:)?postgres(?:ql)?(?:\+[A-Za-z0-9_]+)?:(?:\/\/)?[^\s"'`<>()[\]{}]*/gi;
  for (let m = re.exec(flat); m !== null; m = re.exec(flat)) {
    const before = m.index > 0 ? flat[m.index - 1] : "";
    // Part of a longer word (e.g. "mypostgres://") is not a URL start.
    if (before !== undefined && /[A-Za-z0-9_+.-]/.test(before)) continue;
    const isJdbc = /^jdbc:/i.test(m[0]);
    if (isJdbc ? !/^jdbc:postgresql:[^.,;:!?]/i.test(m[0]) : !m[0].includes("://")) continue;
    // Sentence punctuation after a URL in prose is not part of it.
    const text = m[0].replace(/[.,;:!?]+$/, "");
    const body = text.indexOf(isJdbc ? "postgresql:" : "//") + (isJdbc ? "postgresql:".length : 2);
    if (text.length <= body) continue;
    const start = toLine(m.index);
    const end = toLine(m.index + text.length);
    out.push({ index: start, url: line.slice(start, end) });
  }
  return out;
}
