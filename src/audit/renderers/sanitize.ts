// Defence in depth, as for the single-setting report: every audit renderer prints a sanitized copy, so a
// password, sslpassword or key material that slipped into a fact still cannot reach any format. The CLI
// sanitizes once and also masks every registered secret in every string (protectAudit); renderers then get a
// copy they recognise and do not walk again (10,000 settings make a walk cost a few hundred milliseconds).
import { MASK, SECRET_KEYWORDS } from "../../conninfo/types.js";
import { sanitizeString } from "../../report/renderers/sanitize.js";
import type { AuditReport } from "../types.js";

const KEEP_UNDER_SECRET: ReadonlySet<string> = new Set(["source", "detail"]);
/** sanitizeString only changes strings holding a URL, a `key=` or a PEM block: skip the rest cheaply. */
const MAY_HOLD_SECRET = /:\/\/|=|-----BEGIN/;
const sanitized = new WeakSet<object>();

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

/** A sanitized deep copy, with `scrub` applied to every string and key as well. */
export function protectAudit(report: AuditReport, scrub: (s: string) => string = (s) => s): AuditReport {
  if (sanitized.has(report)) return report;
  const copy = walker(scrub)(report, false) as AuditReport;
  sanitized.add(copy);
  return copy;
}

export function sanitizeAudit(report: AuditReport): AuditReport {
  return protectAudit(report);
}
