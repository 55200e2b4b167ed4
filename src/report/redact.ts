import { MASK } from "../conninfo/types.js";

/**
 * Safety net under the by-construction rule that reports hold no secrets: replaces every occurrence of
 * a known secret (raw and percent-encoded) in every string of a value. Secrets shorter than
 * MIN_SCRUB_LENGTH are not scrubbed textually, because masking every "ab" would wreck the report;
 * those rely on the stages never copying them in.
 */
export const MIN_SCRUB_LENGTH = 4;

function variants(secret: string): string[] {
  const out = new Set<string>([secret]);
  try {
    out.add(encodeURIComponent(secret));
  } catch {
    // lone surrogates cannot be encoded; the raw form is still scrubbed
  }
  out.add(JSON.stringify(secret).slice(1, -1));
  return [...out].filter((v) => v.length >= MIN_SCRUB_LENGTH).sort((a, b) => b.length - a.length);
}

export function scrubString(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) for (const v of variants(secret)) out = out.split(v).join(MASK);
  return out;
}

export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  const active = secrets.filter((s) => s.length >= MIN_SCRUB_LENGTH);
  if (active.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return scrubString(v, active);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = walk(x);
      return o;
    }
    return v;
  };
  return walk(value) as T;
}
