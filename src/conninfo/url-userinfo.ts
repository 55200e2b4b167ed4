// Facts about the user-info part of a URL: what the writer most likely meant (the user and password up to the LAST
// '@' that is not inside a query parameter), and what libpq's URI parser and SQLAlchemy's regex read instead when
// '@', ':', '/', '?' or '#' were left unescaped. Values here are raw; callers mask them.

import type { LibpqMajor } from "../model/options.js";
import { ALL_KEYWORDS } from "./keywords.js";
import { parseLibpqConninfo } from "./libpq.js";
import { parseSqlAlchemyUrl, pythonParseQsl } from "./sqlalchemy.js";
import { SECRET_KEYWORDS } from "./types.js";

/** The characters that end or split a user-info part in one parser or another. */
export const USERINFO_RESERVED = ["@", ":", "/", "?", "#"] as const;

export interface UrlReading {
  ok: boolean;
  user: string | null;
  password: string | null;
  host: string | null;
  port: string | null;
  dbname: string | null;
}

export interface UserinfoFacts {
  /** [start, end) of the intended user and password in the raw string. */
  userSpan: [number, number];
  passwordSpan: [number, number] | null;
  /** Reserved characters found unescaped, per part. */
  userChars: string[];
  passwordChars: string[];
  /** The URL with those characters percent-encoded (holds the password: never print). */
  corrected: string;
  /** `corrected` with the password replaced by MASK. */
  template: string;
  libpq?: { read: UrlReading; intended: UrlReading };
  sqlalchemy?: { read: UrlReading; intended: UrlReading };
  /** Replacements that mask the password pieces a parser put into a non-secret field (host, port, dbname, user). */
  leaked: [string, string][];
}

const SECRET_QUERY = new RegExp(`([?&](?:${[...SECRET_KEYWORDS].join("|")})=)[^&]*`, "g");
// An '@' inside "?sslmode=...@" belongs to a parameter only when the key is one libpq knows: a password such as
// "@?x=a@" must still count as the password.
const KNOWN_KEYS: ReadonlySet<string> = new Set([...ALL_KEYWORDS, "ssl", "requiressl"]);
function hasKeyAssignment(text: string): boolean {
  for (const m of text.matchAll(/[?&]([^=&?]+)=/g)) if (KNOWN_KEYS.has(m[1] ?? "")) return true;
  return false;
}
function isKeyAssignment(segment: string): boolean {
  const eq = segment.indexOf("=");
  return eq > 0 && KNOWN_KEYS.has(segment.slice(0, eq));
}

/** The intended user-info: up to the last '@' that does not sit inside a `?key=...` / `&key=...` parameter. */
function intendedAt(value: string, from: number): number {
  for (let at = value.lastIndexOf("@"); at >= from; at = value.lastIndexOf("@", at - 1)) {
    const seg = Math.max(value.lastIndexOf("&", at), value.lastIndexOf("?", at));
    if (seg >= from && isKeyAssignment(value.slice(seg + 1, at))) continue;
    // An earlier "?key=" or "&key=" with a libpq keyword means this '@' sits in the query, not in the user-info.
    if (hasKeyAssignment(value.slice(from, at))) continue;
    return at;
  }
  return -1;
}

function encodeReserved(s: string): string {
  return s.replace(/[@:/?#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function libpqReading(url: string, major: LibpqMajor): UrlReading {
  const r = parseLibpqConninfo(url, major);
  if (!r.ok) return { ok: false, user: null, password: null, host: null, port: null, dbname: null };
  const p = r.params;
  return {
    ok: true,
    user: p.user ?? null,
    password: p.password ?? null,
    host: p.host ?? null,
    port: p.port ?? null,
    dbname: p.dbname ?? null,
  };
}

function sqlalchemyReading(url: string): UrlReading {
  const r = parseSqlAlchemyUrl(url);
  if (!r.ok) return { ok: false, user: null, password: null, host: null, port: null, dbname: null };
  const u = r.url;
  return {
    ok: true,
    user: u.username,
    password: u.password,
    host: u.host,
    port: u.port === null ? null : String(u.port),
    dbname: u.database,
  };
}

function same(a: UrlReading, b: UrlReading): boolean {
  return (
    a.ok === b.ok &&
    a.user === b.user &&
    a.password === b.password &&
    a.host === b.host &&
    a.port === b.port &&
    a.dbname === b.dbname
  );
}

/**
 * How to mask a field that holds part of the password: [field, field with that part masked], found by position
 * (the field's raw occurrence that overlaps the password), plus the piece itself when it is long enough to be
 * masked wherever it appears without wrecking ordinary text.
 */
function fieldMasks(
  field: string,
  value: string,
  pw: [number, number],
  from: number,
  mask: string,
): [string, string][] {
  if (field === "") return [];
  const password = value.slice(pw[0], pw[1]);
  let found = false;
  for (let i = value.indexOf(field, from); i >= 0; i = value.indexOf(field, i + 1)) {
    found = true;
    const s = Math.max(i, pw[0]);
    const e = Math.min(i + field.length, pw[1]);
    if (s >= e) continue;
    const out: [string, string][] = [[field, `${field.slice(0, s - i)}${mask}${field.slice(e - i)}`]];
    if (e - s >= 4) out.push([value.slice(s, e), mask]);
    // libpq splits host and port lists at ','; each element that holds part of the password is masked too.
    let at = i;
    for (const el of field.split(",")) {
      const es = Math.max(at, pw[0]);
      const ee = Math.min(at + el.length, pw[1]);
      if (es < ee && el !== field) out.push([el, `${el.slice(0, es - at)}${mask}${el.slice(ee - at)}`]);
      at += el.length + 1;
    }
    return out;
  }
  if (found) return [];
  // Decoding or joining changed the text (libpq joins host and port lists): judge each list element on its own.
  const maskRuns = (el: string): string => {
    if (el !== "" && password.includes(el)) return mask;
    let masked = el;
    for (let len = Math.min(el.length, password.length); len >= 3; len--) {
      for (let i = 0; i + len <= el.length; i++) {
        const piece = el.slice(i, i + len);
        if (password.includes(piece)) masked = masked.split(piece).join(mask);
      }
    }
    return masked;
  };
  const out: [string, string][] = [];
  const elements = field.split(",");
  const maskedEls = elements.map(maskRuns);
  elements.forEach((el, k) => {
    if (maskedEls[k] !== el) out.push([el, maskedEls[k] as string]);
  });
  const joined = maskedEls.join(",");
  if (joined !== field) out.push([field, joined]);
  return out;
}

/** Query fields (parse_qsl segments) whose raw text overlaps the password: their decoded key and value are masked. */
function queryMasks(value: string, pw: [number, number], mask: string): [string, string][] {
  const parsed = parseSqlAlchemyUrl(value);
  const span = parsed.ok ? parsed.url.spans.query : undefined;
  if (span === undefined) return [];
  const out: [string, string][] = [];
  let at = span[0];
  for (const seg of value.slice(span[0], span[1]).split("&")) {
    if (Math.max(at, pw[0]) < Math.min(at + seg.length, pw[1])) {
      for (const [k, v] of pythonParseQsl(seg)) {
        if (k !== "") out.push([k, mask]);
        if (v !== "") out.push([v, mask]);
      }
    }
    at += seg.length + 1;
  }
  return out;
}

/**
 * Analyse a URL's user-info. Returns null when the string is not a URL or has no '@'. `libpqStyle` and
 * `sqlalchemyStyle` say which parsers' readings to compute.
 */
export function analyzeUserinfo(
  value: string,
  major: LibpqMajor,
  parsers: { libpq: boolean; sqlalchemy: boolean },
  mask: string,
): UserinfoFacts | null {
  const scheme = /^[\p{L}\p{N}_+]+:\/\//u.exec(value);
  if (scheme === null) return null;
  const from = scheme[0].length;
  const at = intendedAt(value, from);
  if (at < 0) return null;
  const info = value.slice(from, at);
  const colon = info.indexOf(":");
  const user = colon < 0 ? info : info.slice(0, colon);
  const password = colon < 0 ? null : info.slice(colon + 1);
  const userSpan: [number, number] = [from, from + user.length];
  const passwordSpan: [number, number] | null = password === null ? null : [from + colon + 1, at];
  const charsOf = (s: string | null, allowed: readonly string[]) =>
    s === null ? [] : allowed.filter((c) => s.includes(c));
  const userChars = charsOf(user, USERINFO_RESERVED);
  // A ':' after the first one is part of the password for every parser; still worth encoding, never a misreading.
  const passwordChars = charsOf(password, USERINFO_RESERVED);
  const rest = value.slice(at);
  const corrected = `${value.slice(0, from)}${encodeReserved(user)}${password === null ? "" : `:${encodeReserved(password)}`}${rest}`;
  const template =
    `${value.slice(0, from)}${encodeReserved(user)}${password === null ? "" : `:${mask}`}${rest}`.replace(
      SECRET_QUERY,
      `$1${mask}`,
    );
  const facts: UserinfoFacts = {
    userSpan,
    passwordSpan,
    userChars,
    passwordChars,
    corrected,
    template,
    leaked: [],
  };
  if (parsers.libpq && /^postgres(ql)?:\/\//.test(value)) {
    facts.libpq = { read: libpqReading(value, major), intended: libpqReading(corrected, major) };
  }
  if (parsers.sqlalchemy) facts.sqlalchemy = { read: sqlalchemyReading(value), intended: sqlalchemyReading(corrected) };
  if (passwordSpan !== null) {
    const leaked = new Map<string, string>();
    for (const pair of [facts.libpq, facts.sqlalchemy]) {
      if (!pair || same(pair.read, pair.intended)) continue;
      const r = pair.read;
      for (const f of [r.host, r.port, r.dbname, r.user]) {
        if (f) for (const [a, b] of fieldMasks(f, value, passwordSpan, from, mask)) leaked.set(a, b);
      }
    }
    if (facts.sqlalchemy && !same(facts.sqlalchemy.read, facts.sqlalchemy.intended)) {
      for (const [a, b] of queryMasks(value, passwordSpan, mask)) leaked.set(a, b);
    }
    facts.leaked = [...leaked];
  }
  return facts;
}

/** Whether a parser read something other than what was meant. */
export function misread(facts: UserinfoFacts): { libpq: boolean; sqlalchemy: boolean } {
  return {
    libpq: facts.libpq !== undefined && !same(facts.libpq.read, facts.libpq.intended),
    sqlalchemy: facts.sqlalchemy !== undefined && !same(facts.sqlalchemy.read, facts.sqlalchemy.intended),
  };
}

/**
 * Apply the leak replacements to a string, longest first. A short piece (under 4 characters) only replaces a value
 * that equals it exactly, so that masking "a" does not turn "app" into "********pp".
 */
export function maskFragments(text: string, leaks: readonly [string, string][]): string {
  let out = text;
  for (const [from, to] of [...leaks].sort((a, b) => b[0].length - a[0].length)) {
    if (from === "") continue;
    if (out === from) return to;
    if (from.length >= 4) out = out.split(from).join(to);
  }
  return out;
}

/**
 * A URL whose host part has no '@' but a ':' followed by something that is not a port number: most likely the
 * password of a URL that lost its '@host' (cut at ' #' by python-dotenv, or a forgotten host). Returns the
 * [start, end) of that text so it can be treated as a secret.
 */
export function suspectedPasswordAsPort(value: string): [number, number] | null {
  const m = /^[\p{L}\p{N}_+]+:\/\/([^/?]*)/u.exec(value);
  if (m === null) return null;
  const authority = m[1] ?? "";
  const start = m[0].length - authority.length;
  if (authority.includes("@") || authority.startsWith("[")) return null;
  const colon = authority.indexOf(":");
  if (colon < 0) return null;
  const port = authority.slice(colon + 1);
  if (port === "" || /^[0-9]/.test(port)) return null;
  return [start + colon + 1, start + authority.length];
}
