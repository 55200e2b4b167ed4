// Reports hold no secrets by construction: stages replace a password, an sslpassword or key material where they
// read it, and scrub texts from outside for their own run's secrets (src/model/redaction.ts). What remains here is
// masking by structure only, never by a secret's text: the value under a secret keyword (`password`,
// `sslpassword`), a URL's userinfo password, `password=...` in a keyword/value string, PEM private key blocks. So
// a password that spells a key, a code, a path, the user or the database masks none of them. The output planner
// (src/cli/output.ts) protects once; renderers get a copy they recognise and do not walk again.
import { MASK, SECRET_KEYWORDS } from "../../conninfo/types.js";
import type { AnyReport } from "../kinds.js";

const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
/** Characters that end a URL's userinfo: the regex classes `[^:/?#@\s]` and `[^@/?#\s]` without `:` and `@`. */
const USERINFO_END = /[/?#\s]/;
const SCHEME_CHAR = /[a-z0-9+.-]/i;
const LETTER = /[a-z]/i;

/**
 * scheme://user:SECRET@ — the userinfo password of any URL-shaped value, masked. The same matches as the regex
 * `([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]+)@` (gi), found in linear time: that regex, tried at every
 * position of a long run of letters, rescans the run each time (quadratic: 18 s for a 50 KB host name). Here each
 * `://` is found once, the scheme is checked by a look-behind that stops at the previous `:` or `/`, and the
 * userinfo scan stops at the first character that ends it.
 */
function maskUrlPasswords(text: string): string {
  let out = "";
  let copied = 0;
  for (let at = text.indexOf("://"); at >= 0; at = text.indexOf("://", at + 3)) {
    // Scheme: `[a-z][a-z0-9+.-]*` ending at `at`, i.e. a letter somewhere in the run of scheme characters before it.
    let letter = false;
    for (let i = at - 1; i >= copied && SCHEME_CHAR.test(text[i] as string); i--) {
      if (LETTER.test(text[i] as string)) {
        letter = true;
        break;
      }
    }
    if (!letter) continue;
    const userStart = at + 3;
    let colon = -1;
    let i = userStart;
    for (; i < text.length; i++) {
      const c = text[i] as string;
      if (c === ":") {
        colon = i;
        break;
      }
      if (c === "@" || USERINFO_END.test(c)) break;
    }
    if (colon < 0) continue;
    let end = colon + 1;
    while (end < text.length && text[end] !== "@" && !USERINFO_END.test(text[end] as string)) end++;
    if (end === colon + 1 || text[end] !== "@") continue;
    const secret = text.slice(colon + 1, end);
    if (PLACEHOLDER.test(secret)) continue;
    out += `${text.slice(copied, colon + 1)}${MASK}`;
    copied = end;
    at = end - 2; // resume after the `@`
  }
  return copied === 0 ? text : out + text.slice(copied);
}
/** password=SECRET in a keyword/value string (quoted or not). */
const KEYWORD_PASSWORD = new RegExp(
  `(^|[\\s?&;])(${[...SECRET_KEYWORDS].join("|")})(\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^\\s&;]+)`,
  "gi",
);

/** Values that only stand for a password in a hint ("USER:PASSWORD@HOST", "${DB_PASSWORD}"): no secret. */
const PLACEHOLDER = /^'?(?:\*+|PASSWORD|<[^<>]*>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)'?$/;

export function sanitizeString(text: string): string {
  return maskUrlPasswords(text.replace(PEM_PRIVATE_KEY, "[private key omitted]")).replace(
    KEYWORD_PASSWORD,
    (m, pre: string, key: string, eq: string, value: string) =>
      PLACEHOLDER.test(value) ? m : `${pre}${key}${eq}${MASK}`,
  );
}

/** Under a secret keyword only the provenance (an EffectiveParam's source and detail) survives. */
const KEEP_UNDER_SECRET: ReadonlySet<string> = new Set(["source", "detail"]);
/** sanitizeString only changes strings holding a URL, a `key=` or a PEM block: skip the rest cheaply. */
const MAY_HOLD_SECRET = /:\/\/|=|-----BEGIN/;
const protectedCopies = new WeakSet<object>();

function walker(scrub: (s: string) => string): (value: unknown, secretKey: boolean) => unknown {
  // The same strings recur thousands of times (hints, sources, defaults): clean each distinct one once.
  const memo = new Map<string, string>();
  const clean = (v: string): string => {
    let out = memo.get(v);
    if (out === undefined) {
      out = scrub(MAY_HOLD_SECRET.test(v) ? sanitizeString(v) : v);
      memo.set(v, out);
    }
    return out;
  };
  const walk = (value: unknown, secretKey: boolean): unknown => {
    if (typeof value === "string") return secretKey && value !== "" ? MASK : clean(value);
    if (Array.isArray(value)) return value.map((v) => walk(v, secretKey));
    if (value !== null && typeof value === "object") {
      const src = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k in src) {
        if (!Object.hasOwn(src, k)) continue;
        const v = src[k];
        out[clean(k)] =
          secretKey && KEEP_UNDER_SECRET.has(k) ? v : walk(v, secretKey || SECRET_KEYWORDS.has(k.toLowerCase()));
      }
      return out;
    }
    return value;
  };
  return walk;
}

/**
 * A deep copy with every secret-keyword value masked and key material removed (by structure, see above); `scrub`
 * is for callers that hold text of their own run only. A copy made here is returned as is when it comes back.
 */
export function protect<R extends AnyReport>(report: R, scrub: (s: string) => string = (s) => s): R {
  if (protectedCopies.has(report)) return report;
  const copy = walker(scrub)(report, false) as R;
  protectedCopies.add(copy);
  return copy;
}

/** What every renderer prints: the planner's protected copy as it is, any other report sanitized first. */
export function sanitizeReport<R extends AnyReport>(report: R): R {
  return protect(report);
}
