// A faithful port of python-dotenv 1.2's parser (dotenv/parser.py) and interpolation (dotenv/variables.py,
// main.py resolve_variables), because SkillFlaw loads --env-file with `load_dotenv(path, override=True)`.
// The npm `dotenv` package reads the same file differently (it cuts `pa#ss` at `#`, only decodes `\n` in double
// quotes, accepts backticks and `KEY: value`, has no `${VAR:-default}`), so it cannot stand in here.

/** One variable as python-dotenv would set it. `line` is the 1-based line of the key. */
export interface EnvFileEntry {
  value: string;
  file: string;
  line: number;
  /** How the value was written: unquoted, or in single or double quotes. */
  quote?: "none" | "single" | "double";
  /**
   * The value was probably cut short: an unquoted value lost a ` #...` tail, or a quoted value was followed directly
   * by `#...` (a quote inside the value closed it early). python-dotenv drops the rest as a comment.
   */
  commentCut?: boolean;
  /** The value contained `${...}` references that python-dotenv expanded. */
  expanded?: string[];
}

export interface DotenvProblem {
  line: number;
  message: string;
  /** "syntax": python-dotenv warns and skips the statement; "bom": a byte-order mark joins the first key. */
  kind: "syntax" | "bom";
}

export interface DotenvResult {
  vars: Record<string, EnvFileEntry>;
  problems: DotenvProblem[];
  /** Keys written without `=` (python-dotenv parses them to None and load_dotenv skips them). */
  bareKeys: { key: string; line: number }[];
}

// Python's str.isspace() set, which is what `\s` means in python-dotenv's re.UNICODE patterns.
// JavaScript's `\s` differs (it includes U+FEFF, lacks U+001C..U+001F and U+0085), which matters for a BOM.
const WS = "\\t\\n\\v\\f\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const WS_NO_NL = "\\t\\v\\f\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

const re = (src: string) => new RegExp(src, "uy");
const MULTILINE_WS = re(`[${WS}]*`);
const WHITESPACE = re(`[${WS_NO_NL}]*`);
const EXPORT = re(`(?:export[${WS_NO_NL}]+)?`);
const UNQUOTED_KEY = re(`([^=#${WS}]+)`);
const EQUAL_SIGN = re(`(=[${WS_NO_NL}]*)`);
const UNQUOTED_VALUE = re(`([^\\r\\n]*)`);
const COMMENT = re(`(?:[${WS_NO_NL}]*#[^\\r\\n]*)?`);
const END_OF_LINE = re(`[${WS_NO_NL}]*(?:\\r\\n|\\n|\\r|$)`);
const REST_OF_LINE = re(`[^\\r\\n]*(?:\\r|\\n|\\r\\n)?`);
// Every pattern above is anchored (sticky) and scans one run of one character class, so each costs the length of
// what it consumes. python-dotenv's quoted-key, quoted-value, inline-comment, trailing-space and ${VAR} patterns
// can fail after scanning to the end of the file (an unclosed quote) and are tried again on every line: a file
// of such lines takes quadratic time. They are computed by hand below, with the same results (same backtracking
// outcome), in time linear in the file.
const PY_SPACE: ReadonlySet<number> = new Set(
  [..."\t\n\v\f\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000"]
    .concat(Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)))
    .map((c) => c.charCodeAt(0)),
);
const isPySpace = (code: number) => PY_SPACE.has(code);

/** Positions of one character in the text, in order; lookups by binary search. */
class Positions {
  private readonly at: number[] = [];
  add(i: number): void {
    this.at.push(i);
  }
  /** The first position > `after`, or -1. */
  firstAfter(after: number): number {
    let lo = 0;
    let hi = this.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.at[mid] as number) <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.at.length ? (this.at[lo] as number) : -1;
  }
  last(): number {
    return this.at.length ? (this.at[this.at.length - 1] as number) : -1;
  }
}

/** Where each quote character is, split by whether a backslash precedes it (python-dotenv's `\\'` and `\\"`). */
interface QuoteIndex {
  all: Positions;
  bare: Positions;
  escaped: Positions;
}

function quoteIndex(text: string, quote: string): QuoteIndex {
  const idx: QuoteIndex = { all: new Positions(), bare: new Positions(), escaped: new Positions() };
  for (let i = text.indexOf(quote); i >= 0; i = text.indexOf(quote, i + 1)) {
    idx.all.add(i);
    (i > 0 && text[i - 1] === "\\" ? idx.escaped : idx.bare).add(i);
  }
  return idx;
}

const DOUBLE_QUOTE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

class ParseError extends Error {}

class Reader {
  pos = 0;
  /** Start offset of every line (line 1 starts at 0). */
  private readonly lineStarts: number[] = [0];
  private readonly single: QuoteIndex;
  private readonly double: QuoteIndex;
  constructor(readonly text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
    this.single = quoteIndex(text, "'");
    this.double = quoteIndex(text, '"');
  }
  hasNext(): boolean {
    return this.pos < this.text.length;
  }
  peek(): string {
    return this.text.slice(this.pos, this.pos + 1);
  }
  read(regex: RegExp): RegExpExecArray {
    regex.lastIndex = this.pos;
    const m = regex.exec(this.text);
    if (m === null) throw new ParseError("pattern not found");
    this.pos += m[0].length;
    return m;
  }
  /** `'([^']+)'` at the current position: the key up to the next quote, at least one character. */
  readSingleQuotedKey(): string {
    const end = this.single.all.firstAfter(this.pos);
    if (end <= this.pos + 1) throw new ParseError("pattern not found");
    const key = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return key;
  }
  /**
   * `'((?:\\\\'|[^'])*)'` (or with `"`) at the current position. The greedy loop pairs every backslash that precedes
   * a quote with it, so it stops at the first quote no backslash precedes; when there is none, backtracking
   * reopens the last backslash-quote pair of the text and closes the value on that quote.
   */
  readQuotedValue(quote: "'" | '"'): string {
    const idx = quote === "'" ? this.single : this.double;
    const start = this.pos;
    let end = idx.bare.firstAfter(start);
    if (end < 0) {
      end = idx.escaped.last();
      if (end <= start + 1) throw new ParseError("pattern not found");
    }
    this.pos = end + 1;
    return this.text.slice(start + 1, end);
  }
  /** 1-based line of an offset (python-dotenv counts the newlines before it). */
  lineAt(pos: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  /** The text of a 1-based line, without its newline. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return "";
    const next = this.lineStarts[line];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1);
  }
}

/** python-dotenv's `re.sub(r"\\s+#.*", "", part)`: cut at the whitespace run before the first `#` that follows one. */
export function cutInlineComment(part: string): string {
  for (let hash = part.indexOf("#"); hash >= 0; hash = part.indexOf("#", hash + 1)) {
    if (hash === 0 || !isPySpace(part.charCodeAt(hash - 1))) continue;
    let start = hash - 1;
    while (start > 0 && isPySpace(part.charCodeAt(start - 1))) start--;
    return part.slice(0, start);
  }
  return part;
}

/** Python's str.rstrip(): trailing str.isspace() characters. */
export function pythonRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && isPySpace(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}

/**
 * python-dotenv's _posix_variable, `\\$\\{([^}:]*)(?::-([^}]*))?\\}`, replaced left to right without overlap. The name
 * ends at the first `}` or `:`; `:-` then takes everything up to the next `}`. Cursors into the text only move
 * forward, so a value full of unclosed `${` costs linear time.
 */
export function expandPosixVariables(
  value: string,
  replace: (name: string, dflt: string | undefined) => string,
): string {
  let out = "";
  let copied = 0;
  let close = -2; // cached indexOf("}") from some earlier position; -1: none left
  let colon = -2;
  const nextClose = (from: number) => {
    if (close !== -1 && close < from) close = value.indexOf("}", from);
    return close;
  };
  const nextColon = (from: number) => {
    if (colon !== -1 && colon < from) colon = value.indexOf(":", from);
    return colon;
  };
  for (let i = value.indexOf("${"); i >= 0; i = value.indexOf("${", i + 1)) {
    if (i < copied) continue;
    const c = nextClose(i + 2);
    if (c < 0) break; // no `}` anywhere after: nothing further can match
    const k = nextColon(i + 2);
    let end: number;
    let name: string;
    let dflt: string | undefined;
    if (k < 0 || c < k) {
      end = c;
      name = value.slice(i + 2, c);
    } else {
      if (value[k + 1] !== "-") continue;
      const c2 = nextClose(k + 2);
      if (c2 < 0) continue;
      end = c2;
      name = value.slice(i + 2, k);
      dflt = value.slice(k + 2, c2);
    }
    out += value.slice(copied, i) + replace(name, dflt);
    copied = end + 1;
  }
  return copied === 0 ? value : out + value.slice(copied);
}

interface Binding {
  key: string | null;
  value: string | null;
  line: number;
  quote: "none" | "single" | "double";
  commentCut: boolean;
  error: boolean;
}

function parseValue(r: Reader): { value: string; quote: Binding["quote"]; commentCut: boolean } {
  const c = r.peek();
  if (c === "'") {
    const raw = r.readQuotedValue("'");
    return { value: raw.replace(/\\[\\']/g, (m) => m.slice(1)), quote: "single", commentCut: false };
  }
  if (c === '"') {
    const raw = r.readQuotedValue('"');
    return {
      value: raw.replace(/\\[\\'"abfnrtv]/g, (m) => DOUBLE_QUOTE_ESCAPES[m.slice(1)] ?? m),
      quote: "double",
      commentCut: false,
    };
  }
  if (c === "" || c === "\n" || c === "\r") return { value: "", quote: "none", commentCut: false };
  const part = r.read(UNQUOTED_VALUE)[1] ?? "";
  const cut = cutInlineComment(part);
  return { value: pythonRstrip(cut), quote: "none", commentCut: cut !== part };
}

function parseBinding(r: Reader): Binding {
  const mark = r.pos;
  let line = r.lineAt(mark);
  try {
    r.read(MULTILINE_WS);
    line = r.lineAt(r.pos);
    if (!r.hasNext()) return { key: null, value: null, line, quote: "none", commentCut: false, error: false };
    r.read(EXPORT);
    let key: string | null;
    if (r.peek() === "#") key = null;
    else if (r.peek() === "'") key = r.readSingleQuotedKey();
    else key = r.read(UNQUOTED_KEY)[1] ?? "";
    r.read(WHITESPACE);
    let value: string | null = null;
    let quote: Binding["quote"] = "none";
    let commentCut = false;
    if (r.peek() === "=") {
      r.read(EQUAL_SIGN);
      ({ value, quote, commentCut } = parseValue(r));
    }
    // A '#' right after a closing quote, or a comment that holds the same quote character again, usually means the
    // quote belonged to the value and closed it early.
    const comment = r.read(COMMENT)[0];
    if (quote !== "none" && comment !== "") {
      const q = quote === "single" ? "'" : '"';
      if (comment.startsWith("#") || comment.includes(q)) commentCut = true;
    }
    r.read(END_OF_LINE);
    return { key, value, line, quote, commentCut, error: false };
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    r.read(REST_OF_LINE);
    return { key: null, value: null, line, quote: "none", commentCut: false, error: true };
  }
}

/** The text as Python's text-mode open() hands it over: universal newlines turn \r\n and \r into \n. */
export function pythonUniversalNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

function describeProblem(src: string, line: number): string {
  const trimmed = src.trimStart();
  const what =
    trimmed.startsWith("=") || trimmed.startsWith("export =")
      ? "a line that starts with '=' has no variable name"
      : /^(export\s+)?'[^']*$/.test(trimmed)
        ? "an unterminated quoted key"
        : /=\s*(['"])/.test(trimmed)
          ? "a quoted value that is not closed, or text after its closing quote"
          : "text python-dotenv cannot read as KEY=VALUE";
  return `python-dotenv could not parse statement starting at line ${line} (${what}); it skips that statement`;
}

/**
 * Parse one .env file exactly as python-dotenv 1.2 `load_dotenv(file, override=True)` reads it.
 * `env` is the environment the expansion sees: the process environment with earlier --env-file values applied.
 * With override=True, a `${VAR}` sees the environment first, then earlier lines of this file on top.
 */
export function parseDotenv(text: string, file: string, env: Record<string, string | undefined>): DotenvResult {
  const normalized = pythonUniversalNewlines(text);
  const reader = new Reader(normalized);
  const bindings: Binding[] = [];
  const problems: DotenvProblem[] = [];
  while (reader.hasNext()) {
    const b = parseBinding(reader);
    if (b.error)
      problems.push({ line: b.line, message: describeProblem(reader.lineText(b.line), b.line), kind: "syntax" });
    bindings.push(b);
  }
  if (normalized.startsWith("\ufeff")) {
    problems.push({
      line: 1,
      kind: "bom",
      message:
        "the file starts with a UTF-8 byte-order mark; python-dotenv reads it as part of the first variable's name, so that variable is not set under its real name",
    });
  }
  const vars: Record<string, EnvFileEntry> = {};
  const bareKeys: { key: string; line: number }[] = [];
  const seen: Record<string, string | null> = {};
  for (const b of bindings) {
    if (b.key === null) continue;
    if (b.value === null) {
      seen[b.key] = null;
      delete vars[b.key];
      bareKeys.push({ key: b.key, line: b.line });
      continue;
    }
    const expanded: string[] = [];
    const value = expandPosixVariables(b.value, (name, dflt) => {
      expanded.push(name);
      // dict.get(name, default): a variable that is set (even to "") wins over the default; None resolves to "".
      if (Object.hasOwn(seen, name)) return seen[name] ?? "";
      const fromEnv = env[name];
      if (fromEnv !== undefined) return fromEnv;
      return dflt ?? "";
    });
    seen[b.key] = value;
    const entry: EnvFileEntry = { value, file, line: b.line, quote: b.quote };
    if (b.commentCut) entry.commentCut = true;
    if (expanded.length) entry.expanded = expanded;
    // A later duplicate replaces the earlier one but keeps dict order semantics irrelevant here.
    delete vars[b.key];
    vars[b.key] = entry;
  }
  return { vars, problems, bareKeys };
}
