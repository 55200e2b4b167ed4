// Facts about the user-info part of a URL: what the writer most likely meant (the user and password up to the LAST
// '@' that is not inside a query parameter), and what libpq's URI parser and SQLAlchemy's regex read instead when
// '@', ':', '/', '?' or '#' were left unescaped. Values here are raw; callers mask them.
import { parseLibpqConninfo } from "./libpq.js";
import { parseSqlAlchemyUrl } from "./sqlalchemy.js";
import { type LibpqMajor, SECRET_KEYWORDS } from "./types.js";

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
  /** Pieces of the password that a parser put into a non-secret field (host, port, dbname, user). */
  leaked: string[];
}

const SECRET_QUERY = new RegExp(`([?&](?:${[...SECRET_KEYWORDS].join("|")})=)[^&]*`, "g");
const QUERY_KEY_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** The intended user-info: up to the last '@' that does not sit inside a `?key=...` / `&key=...` parameter. */
function intendedAt(value: string, from: number): number {
  for (let at = value.lastIndexOf("@"); at >= from; at = value.lastIndexOf("@", at - 1)) {
    const seg = Math.max(value.lastIndexOf("&", at), value.lastIndexOf("?", at));
    if (seg >= from && QUERY_KEY_ASSIGNMENT.test(value.slice(seg + 1, at))) continue;
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

/** Pieces of the raw password span that ended up inside `field`. */
function fragmentsIn(field: string, value: string, pw: [number, number], from: number): string[] {
  if (field === "") return [];
  const password = value.slice(pw[0], pw[1]);
  for (let i = value.indexOf(field, from); i >= 0; i = value.indexOf(field, i + 1)) {
    const s = Math.max(i, pw[0]);
    const e = Math.min(i + field.length, pw[1]);
    if (s < e) return [value.slice(s, e)];
  }
  // Decoding changed the text: fall back to shared runs of 3+ characters.
  const out: string[] = [];
  for (let len = Math.min(field.length, password.length); len >= 3; len--) {
    for (let i = 0; i + len <= field.length; i++) {
      const piece = field.slice(i, i + len);
      if (password.includes(piece) && !out.some((o) => o.includes(piece))) out.push(piece);
    }
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
    const leaked = new Set<string>();
    for (const pair of [facts.libpq, facts.sqlalchemy]) {
      if (!pair || same(pair.read, pair.intended)) continue;
      const r = pair.read;
      for (const f of [r.host, r.port, r.dbname, r.user]) {
        if (f) for (const piece of fragmentsIn(f, value, passwordSpan, from)) leaked.add(piece);
      }
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

/** Replace every leaked password piece in a string with the mask. */
export function maskFragments(text: string, fragments: readonly string[], mask: string): string {
  let out = text;
  for (const f of [...fragments].sort((a, b) => b.length - a.length)) if (f) out = out.split(f).join(mask);
  return out;
}
