// Where the secrets sit in a connection string, even a malformed one, so that nothing dbdoctor prints quotes them.
// libpq's own parse errors quote raw components (`invalid percent-encoded token: "<the password>"`,
// `missing "=" after "<second word of the password>"`); the parsers build a redacted twin of every message from
// these spans. The heuristics over-mask rather than under-mask: a span runs until something that is clearly the
// next part of the string (a known keyword followed by '=').
import { MIN_SCRUB_LENGTH } from "../model/redaction.js";
import { ALL_KEYWORDS } from "./keywords.js";
import { uriDecodeLenient } from "./percent.js";
import { MASK, SECRET_KEYWORDS } from "./types.js";

export type Span = readonly [start: number, end: number];

/** A piece of the input that a libpq message quotes, with where it came from. */
export interface Arg {
  text: string;
  start: number;
  end: number;
}

const KEYWORD_LIKE = new Set([...ALL_KEYWORDS, "ssl", "requiressl"]);
const SPACE = /[ \t\n\v\f\r]/;

function isKeywordAssignment(token: string): boolean {
  const eq = token.indexOf("=");
  if (eq <= 0) return false;
  return KEYWORD_LIKE.has(uriDecodeLenient(token.slice(0, eq)).trim());
}

function uriUserinfoSpan(input: string, schemeEnd: number): Span | null {
  // The userinfo ends at the last '@' that is not inside a later "keyword=value" query parameter: libpq splits at
  // the first '@', but a password holding '@', '/' or '?' makes the real boundary the last one.
  const ats: number[] = [];
  for (let i = input.indexOf("@", schemeEnd); i >= 0; i = input.indexOf("@", i + 1)) ats.push(i);
  for (let k = ats.length - 1; k >= 0; k--) {
    const at = ats[k] as number;
    const segStart = Math.max(input.lastIndexOf("&", at), input.lastIndexOf("?", at));
    if (segStart >= schemeEnd && isKeywordAssignment(input.slice(segStart + 1, at))) continue;
    const colon = input.indexOf(":", schemeEnd);
    if (colon < 0 || colon >= at) return null;
    return colon + 1 < at ? [colon + 1, at] : null;
  }
  return null;
}

function uriQuerySpans(input: string, from: number): Span[] {
  const q = input.indexOf("?", from);
  if (q < 0) return [];
  const spans: Span[] = [];
  const segs: Array<{ start: number; end: number }> = [];
  let s = q + 1;
  for (;;) {
    const amp = input.indexOf("&", s);
    const end = amp < 0 ? input.length : amp;
    segs.push({ start: s, end });
    if (amp < 0) break;
    s = amp + 1;
  }
  for (let k = 0; k < segs.length; k++) {
    const seg = segs[k] as { start: number; end: number };
    const text = input.slice(seg.start, seg.end);
    const eq = text.indexOf("=");
    if (eq < 0) continue;
    const key = uriDecodeLenient(text.slice(0, eq)).trim();
    if (!SECRET_KEYWORDS.has(key)) continue;
    let end = seg.end;
    while (k + 1 < segs.length) {
      const next = segs[k + 1] as { start: number; end: number };
      if (isKeywordAssignment(input.slice(next.start, next.end))) break;
      end = next.end;
      k++;
    }
    if (seg.start + eq + 1 < end) spans.push([seg.start + eq + 1, end]);
  }
  return spans;
}

function kvSpans(input: string): Span[] {
  const spans: Span[] = [];
  const re = /(^|[ \t\n\v\f\r'])([A-Za-z_]+)[ \t\n\v\f\r]*=[ \t\n\v\f\r]*/g;
  for (let m = re.exec(input); m; m = re.exec(input)) {
    if (!SECRET_KEYWORDS.has(m[2] as string)) continue;
    const valueStart = m.index + m[0].length;
    let i = valueStart;
    if (input[i] === "'") {
      i++;
      while (i < input.length && input[i] !== "'") i += input[i] === "\\" ? 2 : 1;
      i = Math.min(i + 1, input.length);
    }
    // Run on over following words until one is a known keyword assignment: those words are what libpq would
    // misread as option names when an unquoted password holds spaces.
    let end = i;
    while (end < input.length) {
      let tokEnd = end;
      while (tokEnd < input.length && !SPACE.test(input[tokEnd] as string)) tokEnd += input[tokEnd] === "\\" ? 2 : 1;
      let next = tokEnd;
      while (next < input.length && SPACE.test(input[next] as string)) next++;
      end = Math.min(tokEnd, input.length);
      if (next >= input.length) break;
      let nextEnd = next;
      while (nextEnd < input.length && !SPACE.test(input[nextEnd] as string)) nextEnd++;
      // "kw = value" is also an assignment
      let after = nextEnd;
      while (after < input.length && SPACE.test(input[after] as string)) after++;
      const word = input.slice(next, nextEnd);
      if (isKeywordAssignment(word) || (KEYWORD_LIKE.has(word) && input[after] === "=")) break;
      end = next;
    }
    if (valueStart < end) spans.push([valueStart, end]);
    re.lastIndex = Math.max(re.lastIndex, end);
  }
  return spans;
}

/** Character ranges of the input that hold a password or another secret, for any string libpq might be handed. */
export function sensitiveSpans(input: string): Span[] {
  const spans: Span[] = [];
  const scheme = input.indexOf("://");
  if (scheme >= 0) {
    const schemeEnd = scheme + 3;
    const userinfo = uriUserinfoSpan(input, schemeEnd);
    if (userinfo) spans.push(userinfo);
    // Where the query starts is ambiguous when a password holds '?' or a query value holds '@': take both readings.
    spans.push(...uriQuerySpans(input, schemeEnd));
    if (userinfo) spans.push(...uriQuerySpans(input, userinfo[1]));
  }
  if (input.includes("=")) spans.push(...kvSpans(input));
  return spans;
}

/** The input with every secret replaced by the mask, for any string (also one libpq rejects). */
export function redactConninfoString(input: string): string {
  const spans = sensitiveSpans(input).sort((a, b) => a[0] - b[0]);
  let out = "";
  let pos = 0;
  for (const [s, e] of spans) {
    if (e <= pos) continue;
    out += input.slice(pos, Math.max(s, pos)) + MASK;
    pos = e;
  }
  return out + input.slice(pos);
}

function overlaps(arg: Arg, spans: readonly Span[]): boolean {
  return spans.some(([s, e]) => arg.start < e && s < arg.end);
}

/** The text to show for a quoted argument in the report: the whole input redacted, or the mask if it touches a secret. */
export function maskArg(arg: Arg, input: string, spans: readonly Span[]): string {
  if (arg.start <= 0 && arg.end >= input.length && input.length > 0) return redactConninfoString(input);
  return overlaps(arg, spans) ? MASK : arg.text;
}

/** Whether a quoted argument touches a secret (then keyword facts must not repeat it either). */
export function argIsSensitive(arg: Arg, spans: readonly Span[]): boolean {
  return overlaps(arg, spans);
}

/** Fills `%s` placeholders in order. */
export function format(template: string, values: readonly string[]): string {
  let k = 0;
  return template.replace(/%s/g, () => values[k++] ?? "");
}

/**
 * Redacts quoted values of an option-stage message (validateOptions works on decoded values and cannot know where
 * they came from): a quoted value that is part of, or contains, a secret region of the raw string is masked.
 */
export function redactQuotedValues(message: string, raw: string | undefined, secrets: readonly string[] = []): string {
  const texts: string[] = [...secrets.filter((s) => s.length > 0)];
  if (raw !== undefined) {
    for (const [s, e] of sensitiveSpans(raw)) {
      const t = raw.slice(s, e);
      texts.push(t, uriDecodeLenient(t));
    }
  }
  if (texts.length === 0) return message;
  return message.replace(/"([^"]*)"/g, (whole, inner: string) => {
    if (inner.length === 0) return whole;
    const hit = texts.some((t) => t.length > 0 && sharesPiece(inner, t));
    return hit ? `"${MASK}"` : whole;
  });
}

const WORD = /[\p{L}\p{N}_]/u;

/** Whether `needle` occurs in `text` as a whole token: not glued to letters or digits on a side where it has one. */
export function containsToken(text: string, needle: string): boolean {
  if (needle === "") return false;
  const headWord = WORD.test(needle[0] as string);
  const tailWord = WORD.test(needle.at(-1) as string);
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
    const before = i > 0 ? (text[i - 1] as string) : "";
    const after = text[i + needle.length] ?? "";
    if ((!headWord || before === "" || !WORD.test(before)) && (!tailWord || after === "" || !WORD.test(after)))
      return true;
  }
  return false;
}

/**
 * Whether a quoted value is, holds, or was cut from a secret: the whole secret, the secret as a token of it, or a
 * piece of at least MIN_SCRUB_LENGTH characters of the secret (what a misparse splits off). Never because a short
 * secret happens to be a letter of a keyword ("p" in "prefer"): the value an option error quotes is report
 * vocabulary unless it came from the secret.
 */
function sharesPiece(value: string, secret: string): boolean {
  if (value === secret) return true;
  if (secret.length >= MIN_SCRUB_LENGTH && containsToken(value, secret)) return true;
  return value.length >= MIN_SCRUB_LENGTH && secret.includes(value);
}
