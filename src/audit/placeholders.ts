// Placeholders in a stored value: parts that a deployment tool fills in later (docker compose and the shell's
// ${VAR}, ${VAR:-default}, GitHub Actions' ${{ expr }}, Kubernetes' $(VAR), Helm and Go templates' {{ .Values.x }},
// Python's %(x)s, a documentation <db-host>). The audit cannot know their values, so it keeps them as written,
// reads the rest of the value around them, and reports the parts they fill as unknown, never as a value (a
// `${VAR:-default}` default included: the variable may be set where the value is used).

/** One placeholder: where it sits in the value and its text. */
export interface Placeholder {
  start: number;
  end: number;
  text: string;
}

/** How `$NAME` without braces is read where the value is stored. */
export interface PlaceholderSyntax {
  /**
   * A bare `$NAME` is a variable reference (docker compose interpolation, a shell script); python-dotenv, which
   * SkillFlaw's --env-file uses, keeps it literally, and so does a YAML value Kubernetes reads.
   */
  bareDollar: boolean;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** The end of a `${...}` starting at `i` (nested braces counted, for `${VAR:-${OTHER}}`), or -1. */
function closeBrace(s: string, i: number, open: string, close: string): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === open) depth++;
    else if (c === close) {
      depth--;
      if (depth === 0) return j + 1;
    } else if (c === "\n") return -1;
  }
  return -1;
}

/**
 * Every placeholder in `s`, left to right, without overlaps. One linear scan: each character is looked at a bounded
 * number of times (a closing brace is searched once from each opening that starts a placeholder, and the scan
 * continues after it).
 */
export function findPlaceholders(s: string, syntax: PlaceholderSyntax = { bareDollar: false }): Placeholder[] {
  const out: Placeholder[] = [];
  if (!/[$<{%]/.test(s)) return out;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    let end = -1;
    if (c === "$") {
      const n = s[i + 1];
      if (n === "$") {
        // `$$` is compose's escaped dollar: a literal, never a reference.
        i += 2;
        continue;
      }
      // ${VAR}, ${VAR:-default}, and GitHub Actions' ${{ expr }} (the braces nest).
      if (n === "{") end = closeBrace(s, i + 1, "{", "}");
      else if (n === "(") end = closeBrace(s, i + 1, "(", ")");
      else if (syntax.bareDollar && n !== undefined && NAME_START.test(n)) {
        end = i + 2;
        while (end < s.length && NAME_CHAR.test(s[end] as string)) end++;
      }
    } else if (c === "{" && s[i + 1] === "{") {
      const close = s.indexOf("}}", i + 2);
      const nl = s.indexOf("\n", i + 2);
      if (close !== -1 && (nl === -1 || close < nl)) end = close + 2;
    } else if (c === "%" && s[i + 1] === "(") {
      const m = /^%\([A-Za-z_][\w.]*\)[sdr]/.exec(s.slice(i, i + 80));
      if (m) end = i + m[0].length;
    } else if (c === "<") {
      // <db-host>, <your password>: a documentation placeholder (letters first, no markup characters inside).
      const m = /^<[A-Za-z][\w .:-]{0,60}>/.exec(s.slice(i, i + 64));
      if (m && !/^<(?:\/|br\b|p\b|a\b|b\b|i\b)/i.test(m[0])) end = i + m[0].length;
    }
    if (end > i) {
      out.push({ start: i, end, text: s.slice(i, end) });
      i = end;
    } else i++;
  }
  return out;
}

/** The value is nothing but one placeholder (and whitespace): it only refers to something set elsewhere. */
export function isOnlyPlaceholder(s: string, syntax: PlaceholderSyntax = { bareDollar: true }): boolean {
  const t = s.trim();
  if (t === "") return false;
  const p = findPlaceholders(t, syntax);
  return p.length === 1 && p[0]?.start === 0 && p[0].end === t.length;
}

/**
 * A token that stands for placeholder `n` while the value is parsed: letters and digits only, so it is valid in
 * every position of a URL and a keyword/value string, and unlike anything a person writes.
 */
export function placeholderToken(n: number): string {
  return `zzdbdoctorph${n}zz`;
}

const TOKEN_RE = /zzdbdoctorph(\d+)zz/g;

/** Does the text still hold a token? */
export function hasToken(s: string): boolean {
  return s.includes("zzdbdoctorph");
}

/**
 * The value with each placeholder replaced by its token; `texts[n]` is the placeholder's original text, tokens
 * numbered from `first` (several values of one setting share one numbering).
 */
export function tokenize(value: string, syntax: PlaceholderSyntax, first = 0): { value: string; texts: string[] } {
  const found = findPlaceholders(value, syntax);
  if (found.length === 0) return { value, texts: [] };
  let out = "";
  let at = 0;
  const texts: string[] = [];
  for (const p of found) {
    out += value.slice(at, p.start) + placeholderToken(first + texts.length);
    texts.push(p.text);
    at = p.end;
  }
  return { value: out + value.slice(at), texts };
}

/** Puts the placeholders' texts back in place of their tokens (for what the report shows). */
export function restoreTokens(s: string, texts: readonly string[]): string {
  if (texts.length === 0 || !hasToken(s)) return s;
  return s.replace(TOKEN_RE, (m, n: string) => texts[Number(n)] ?? m);
}

/**
 * The placeholder's text as the report may show it: a `${VAR:-default}` default or a `${VAR:=default}` is masked,
 * since for a password it is a secret.
 */
export function displayPlaceholder(text: string): string {
  return text.replace(/^(\$\{[^:}-]+:?[-=?+])[^}]+(\})$/, "$1********$2");
}

/** Words people write where a real password goes later (compared without case, punctuation and digits). */
const DUMMY_WORDS = new Set([
  "pass",
  "password",
  "passwd",
  "pwd",
  "changeme",
  "changeit",
  "changethis",
  "changepassword",
  "secret",
  "mysecret",
  "example",
  "sample",
  "test",
  "testing",
  "dummy",
  "placeholder",
  "redacted",
  "replaceme",
  "yourpassword",
  "mypassword",
  "dbpassword",
  "strongpassword",
  "yourstrongpassword",
  "admin",
  "root",
  "postgres",
  "postgresql",
  "bitnami",
  "default",
  "foo",
  "bar",
  "foobar",
  "todo",
  "fixme",
  "none",
  "null",
  "xyz",
  "abc",
]);

/**
 * Why a literal password looks like a stand-in rather than a real secret, or null: a template word (changeme,
 * __PASSWORD__, xxx), a vendor default (postgres, bitnami), or the user name repeated. A fact about the text, for
 * the rules' severity; the value itself never leaves the pipeline.
 */
export function dummySecretReason(value: string, user?: string): string | null {
  const v = value.trim();
  if (v === "") return null;
  if (/^_{2,}[A-Za-z0-9_]+_{2,}$/.test(v)) return "a __NAME__ template marker";
  if (/^(?:x+|\*+|\.+|-+|0+|1234\d*)$/i.test(v)) return "a filler value";
  if (/^\{[^{}]+\}$/.test(v) || /^\[[^[\]]+\]$/.test(v)) return "a template marker";
  const word = v.toLowerCase().replace(/[^a-z]/g, "");
  if (word !== "" && v.replace(/[^0-9]/g, "").length <= 3) {
    if (DUMMY_WORDS.has(word)) return "a placeholder or default word";
    if (/^(?:change|replace|your|enter|insert|put)[a-z]*(?:password|pass|pwd|secret|here|me|it|this)$/.test(word))
      return "a placeholder or default word";
  }
  if (user !== undefined && user !== "" && v === user) return "the same as the user name";
  return null;
}
