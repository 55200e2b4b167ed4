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
const SINGLE_QUOTED_KEY = re(`'([^']+)'`);
const UNQUOTED_KEY = re(`([^=#${WS}]+)`);
const EQUAL_SIGN = re(`(=[${WS_NO_NL}]*)`);
const SINGLE_QUOTED_VALUE = re(`'((?:\\\\'|[^'])*)'`);
const DOUBLE_QUOTED_VALUE = re(`"((?:\\\\"|[^"])*)"`);
const UNQUOTED_VALUE = re(`([^\\r\\n]*)`);
const COMMENT = re(`(?:[${WS_NO_NL}]*#[^\\r\\n]*)?`);
const END_OF_LINE = re(`[${WS_NO_NL}]*(?:\\r\\n|\\n|\\r|$)`);
const REST_OF_LINE = re(`[^\\r\\n]*(?:\\r|\\n|\\r\\n)?`);
const INLINE_COMMENT = new RegExp(`[${WS}]+#[^\\n]*`, "u");
const TRAILING_WS = new RegExp(`[${WS}]+$`, "u");
// python-dotenv's _posix_variable: ${NAME} or ${NAME:-default}; `$NAME` without braces is left alone.
const POSIX_VARIABLE = /\$\{([^}:]*)(?::-([^}]*))?\}/g;

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
  constructor(readonly text: string) {}
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
  lineAt(pos: number): number {
    let line = 1;
    for (let i = 0; i < pos && i < this.text.length; i++) if (this.text[i] === "\n") line++;
    return line;
  }
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
    const raw = r.read(SINGLE_QUOTED_VALUE)[1] ?? "";
    return { value: raw.replace(/\\[\\']/g, (m) => m.slice(1)), quote: "single", commentCut: false };
  }
  if (c === '"') {
    const raw = r.read(DOUBLE_QUOTED_VALUE)[1] ?? "";
    return {
      value: raw.replace(/\\[\\'"abfnrtv]/g, (m) => DOUBLE_QUOTE_ESCAPES[m.slice(1)] ?? m),
      quote: "double",
      commentCut: false,
    };
  }
  if (c === "" || c === "\n" || c === "\r") return { value: "", quote: "none", commentCut: false };
  const part = r.read(UNQUOTED_VALUE)[1] ?? "";
  const cut = part.replace(INLINE_COMMENT, "");
  return { value: cut.replace(TRAILING_WS, ""), quote: "none", commentCut: cut !== part };
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
    else if (r.peek() === "'") key = r.read(SINGLE_QUOTED_KEY)[1] ?? "";
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

function describeProblem(text: string, line: number): string {
  const src = text.split("\n")[line - 1] ?? "";
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
    if (b.error) problems.push({ line: b.line, message: describeProblem(normalized, b.line), kind: "syntax" });
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
    const value = b.value.replace(POSIX_VARIABLE, (_m, name: string, dflt: string | undefined) => {
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
