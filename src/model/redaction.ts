// Secrets are kept out of reports by structure: a stage replaces a password, an sslpassword or key material where it
// reads it, and only text that comes from outside dbdoctor (a server's error message, an exception's text, a line
// of a file) is scrubbed, field by field, for the secrets of the run that produced it. Nothing searches the finished
// output, so report vocabulary (keys, codes, keywords, paths, the user, the database, the host) is never masked.

/** What a masked secret reads as, everywhere. */
export const SECRET_MASK = "********";

// The one length every masking layer agrees on: secrets shorter than this are never replaced textually (masking
// every "ab" would wreck a report), so the stages must never copy them into what they return.
export const MIN_SCRUB_LENGTH = 4;

/** The secrets of one run, for scrubbing the texts from outside that the run collected. */
export interface RunSecrets {
  /** Passwords, sslpassword, key passphrases: masked where they stand as a whole token. */
  secrets: readonly string[];
  /** Pieces a parser misread (a password's tail read as host or port): masked wherever they occur. */
  tainted?: readonly string[];
  /**
   * Values the report shows anyway (user, database, host, file paths). A secret equal to one is not hidden (the
   * report prints it as that value already), and a secret inside one of them is left alone there: masking
   * `/root/.postgresql/root.crt` for the password `root` would hide the path and protect nothing.
   */
  shown?: readonly string[];
}

const WORD = /[\p{L}\p{N}_]/u;

function isWord(ch: string | undefined): boolean {
  return ch !== undefined && ch !== "" && WORD.test(ch);
}

/** Percent-encoded and JSON-escaped spellings: a message may quote the secret the way the input wrote it. */
function spellings(secret: string): string[] {
  const out = new Set<string>([secret]);
  try {
    out.add(encodeURIComponent(secret));
  } catch {
    // a lone surrogate cannot be encoded; the raw form is still masked
  }
  out.add(JSON.stringify(secret).slice(1, -1));
  return [...out];
}

/** [start, end) ranges of `text` covered by shown values that contain a secret. */
function protectedRanges(text: string, shown: readonly string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const v of shown) {
    if (v.length === 0) continue;
    for (let i = text.indexOf(v); i >= 0; i = text.indexOf(v, i + 1)) ranges.push([i, i + v.length]);
  }
  return ranges;
}

/**
 * A scrubber for texts from outside: every whole-token occurrence of a secret (raw, percent-encoded or JSON-escaped)
 * and every occurrence of a tainted piece becomes the mask, except inside a shown value. Secrets shorter than
 * MIN_SCRUB_LENGTH and secrets equal to a shown value are left alone (see RunSecrets).
 */
export function makeRunScrubber(run: RunSecrets): (text: string) => string {
  const shown = [...new Set(run.shown ?? [])].filter((s) => s !== "");
  const shownSet = new Set(shown);
  const tokens = run.secrets
    .filter((s) => s.length >= MIN_SCRUB_LENGTH && !shownSet.has(s))
    .flatMap(spellings)
    .filter((s) => s.length >= MIN_SCRUB_LENGTH);
  const pieces = (run.tainted ?? []).filter((s) => s.length >= MIN_SCRUB_LENGTH && !shownSet.has(s));
  const needles = [
    ...new Map([...tokens.map((t) => [t, true] as const), ...pieces.map((p) => [p, false] as const)]).entries(),
  ].sort((a, b) => b[0].length - a[0].length);
  if (needles.length === 0) return (text) => text;
  return (text) => {
    if (!needles.some(([n]) => text.includes(n))) return text;
    const guard = protectedRanges(
      text,
      shown.filter((v) => needles.some(([n]) => v.includes(n) && v !== n)),
    );
    const hits: Array<[number, number]> = [];
    for (const [needle, token] of needles) {
      for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
        const end = i + needle.length;
        if (token && ((isWord(needle[0]) && isWord(text[i - 1])) || (isWord(needle.at(-1)) && isWord(text[end]))))
          continue;
        if (guard.some(([s, e]) => s <= i && end <= e)) continue;
        if (hits.some(([s, e]) => i < e && s < end)) continue;
        hits.push([i, end]);
      }
    }
    if (hits.length === 0) return text;
    hits.sort((a, b) => a[0] - b[0]);
    let out = "";
    let pos = 0;
    for (const [s, e] of hits) {
      out += text.slice(pos, s) + SECRET_MASK;
      pos = e;
    }
    return out + text.slice(pos);
  };
}

/**
 * A copy of `value` with `scrub` applied to the strings under the named fields only (at any depth): the fields that
 * carry text from outside (`message`, `reason`, ...). Keys, codes, paths and every other field pass unchanged.
 */
export function scrubFields<T>(value: T, fields: ReadonlySet<string>, scrub: (text: string) => string): T {
  const all = (v: unknown): unknown => {
    if (typeof v === "string") return scrub(v);
    if (Array.isArray(v)) return v.map(all);
    if (v !== null && typeof v === "object") {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = all(x);
      return o;
    }
    return v;
  };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      if (v instanceof Date) return v;
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = fields.has(k) ? all(x) : walk(x);
      return o;
    }
    return v;
  };
  return walk(value) as T;
}

/** The fields of stage facts that hold text from outside dbdoctor (servers, sockets, OpenSSL, files, exceptions). */
export const EXTERNAL_TEXT_FIELDS: ReadonlySet<string> = new Set([
  "message",
  "reason",
  "detail",
  "libpqMessage",
  "errorResponse",
  "hostnameMessage",
  "summary",
  "error",
]);
