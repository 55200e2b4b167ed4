// Which values are PostgreSQL connection settings. Named variables count even when their value is malformed
// (a typo in the scheme is exactly what a review should catch); other values count only when they look like a
// PostgreSQL URL or a libpq keyword/value string.

/** Variables whose value is a database URL by convention (SkillFlaw's own, and the twelve-factor name). */
export const URL_VARIABLES: ReadonlySet<string> = new Set(["SKILLFLAW_DATABASE_URL", "DATABASE_URL"]);

/** postgres://, postgresql://, postgresql+driver:// (SQLAlchemy), case-insensitive like both parsers. */
export const PG_URL_START = /^postgres(?:ql)?(?:\+[A-Za-z0-9_]+)?:\/\//i;

/** A URL of another database: DATABASE_URL=mysql://... is not ours to judge. */
const OTHER_DB_SCHEME =
  /^(sqlite|mysql|mariadb|mssql|oracle|mongodb(\+srv)?|redis|rediss|cockroachdb|clickhouse)(\+[\w]+)?:/i;

/** libpq keywords that make a key=value string a connection string (the brief's host=/dbname=/sslmode=). */
const KV_ANCHOR = /(?:^|\s)(?:host|hostaddr|dbname|sslmode)\s*=/;
/** The whole value is `key=value` pairs: starts with a keyword and has no URL scheme. */
const KV_SHAPE = /^\s*[a-z_]+\s*=\s*\S/;

/** A value that only refers to another variable or a template: nothing to judge here. */
const PLACEHOLDER_ONLY = /^\s*(?:\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$\([^)]*\)|\{\{[^}]*\}\})\s*$/;

export function isPgUrl(value: string): boolean {
  return PG_URL_START.test(value.trim());
}

export function isKeywordValue(value: string): boolean {
  return !value.includes("://") && KV_SHAPE.test(value) && KV_ANCHOR.test(value);
}

/** The variable names SkillFlaw and libpq users write, compared without case (a lower-case name is a finding). */
export function isUrlVariable(name: string | undefined): boolean {
  return name !== undefined && URL_VARIABLES.has(name.replace(/^\ufeff/, "").toUpperCase());
}

/** Should this value be audited as a PostgreSQL connection setting? */
export function isConnectionSetting(variable: string | undefined, value: string): boolean {
  const v = value.trim();
  if (v === "" || PLACEHOLDER_ONLY.test(v)) return false;
  if (isPgUrl(v) || isKeywordValue(v)) return true;
  if (!isUrlVariable(variable)) return false;
  // A named URL variable: audit it unless it clearly belongs to another database.
  return !OTHER_DB_SCHEME.test(v);
}

/** A password that only stands for one (`${DB_PASSWORD}`, `{{ .Values.pw }}`, `<password>`): not a leaked secret. */
export function isPlaceholderSecret(secret: string): boolean {
  return /^(?:\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$\([^)]*\)|\{\{.*\}\}|<[^<>]*>|\*+|%\([^)]*\)s)$/.test(secret);
}

/** Postgres URLs inside a line of free text (logs, docs, scripts): start index and the URL. */
export function findUrlsInLine(line: string): Array<{ index: number; url: string }> {
  const out: Array<{ index: number; url: string }> = [];
  const re = /postgres(?:ql)?(?:\+[A-Za-z0-9_]+)?:\/\/[^\s"'`<>()[\]{}]*/gi;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    // Part of a longer word (e.g. "mypostgres://") is not a URL start.
    const before = m.index > 0 ? line[m.index - 1] : "";
    if (before !== undefined && /[A-Za-z0-9_+.-]/.test(before)) continue;
    // Sentence punctuation after a URL in prose is not part of it.
    const url = m[0].replace(/[.,;:!?]+$/, "");
    if (url.length > m[0].indexOf("//") + 2) out.push({ index: m.index, url });
  }
  return out;
}
