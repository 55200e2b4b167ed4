// Defence in depth under the rule that reports hold no secrets by construction: every renderer prints a
// sanitized copy, so a stage that slips a password, an sslpassword or key material into a fact, a finding
// or evidence still cannot get it into any format. (The CLI's scrubOutput then removes registered secrets.)
import { MASK, SECRET_KEYWORDS } from "../../conninfo/types.js";
import type { Report } from "../report.js";

const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
/** scheme://user:SECRET@ — the userinfo password of any URL-shaped value. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]+)@/gi;
/** password=SECRET in a keyword/value string (quoted or not). */
const KEYWORD_PASSWORD = new RegExp(
  `(^|[\\s?&;])(${[...SECRET_KEYWORDS].join("|")})(\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^\\s&;]+)`,
  "gi",
);

/** Values that only stand for a password in a hint ("USER:PASSWORD@HOST", "${DB_PASSWORD}"): no secret. */
const PLACEHOLDER = /^'?(?:\*+|PASSWORD|<[^<>]*>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)'?$/;

export function sanitizeString(text: string): string {
  return text
    .replace(PEM_PRIVATE_KEY, "[private key omitted]")
    .replace(URL_PASSWORD, (m, head: string, secret: string) => (PLACEHOLDER.test(secret) ? m : `${head}${MASK}@`))
    .replace(KEYWORD_PASSWORD, (m, pre: string, key: string, eq: string, value: string) =>
      PLACEHOLDER.test(value) ? m : `${pre}${key}${eq}${MASK}`,
    );
}

function isSecretKey(key: string): boolean {
  return SECRET_KEYWORDS.has(key.toLowerCase());
}

const KEEP_UNDER_SECRET: ReadonlySet<string> = new Set(["source", "detail"]);

function walk(value: unknown, secretKey: boolean): unknown {
  if (typeof value === "string") return secretKey && value !== "" ? MASK : sanitizeString(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, secretKey));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // Under a secret keyword only the provenance (an EffectiveParam's source and detail) survives.
      out[k] = secretKey && KEEP_UNDER_SECRET.has(k) ? v : walk(v, secretKey || isSecretKey(k));
    }
    return out;
  }
  return value;
}

/** A deep copy of the report with every secret-keyword value masked and key material removed. */
export function sanitizeReport(report: Report): Report {
  return walk(report, false) as Report;
}
