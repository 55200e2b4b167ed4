import { MASK } from "../conninfo/types.js";
import { MIN_SCRUB_LENGTH } from "../model/redaction.js";
import { knownSecrets } from "../secrets.js";

/**
 * Safety net under the by-construction rule that reports hold no secrets: replaces every occurrence of
 * a known secret (raw and percent-encoded) in every string of a value. Secrets shorter than
 * MIN_SCRUB_LENGTH are not scrubbed textually, because masking every "ab" would wreck the report;
 * those rely on the stages never copying them in.
 */
export { MIN_SCRUB_LENGTH };

function variants(secret: string): string[] {
  const out = new Set<string>([secret]);
  try {
    out.add(encodeURIComponent(secret));
  } catch {
    // lone surrogates cannot be encoded; the raw form is still scrubbed
  }
  out.add(JSON.stringify(secret).slice(1, -1));
  return [...out].filter((v) => v.length >= MIN_SCRUB_LENGTH);
}

// One pass over the text for any number of secrets (an audit may hold 10,000): a bitmap of hashed 4-character
// prefixes rules out almost every position with a few integer operations, and only a hit looks the prefix up.
const BITS = 1 << 20;

function hash4(s: string, i: number): number {
  const h =
    Math.imul(s.charCodeAt(i), 0x9e3779b1) ^
    Math.imul(s.charCodeAt(i + 1), 0x85ebca77) ^
    Math.imul(s.charCodeAt(i + 2), 0xc2b2ae3d) ^
    Math.imul(s.charCodeAt(i + 3), 0x27d4eb2f);
  return (h >>> 7) & (BITS - 1);
}

export function makeScrubber(secrets: readonly string[]): (text: string) => string {
  const byPrefix = new Map<string, string[]>();
  const bitmap = new Uint8Array(BITS);
  for (const s of secrets)
    for (const v of variants(s)) {
      const key = v.slice(0, MIN_SCRUB_LENGTH);
      const list = byPrefix.get(key) ?? [];
      if (!list.includes(v)) list.push(v);
      byPrefix.set(key, list);
      bitmap[hash4(v, 0)] = 1;
    }
  if (byPrefix.size === 0) return (text) => text;
  // Longest first, as split/join in length order does: a secret that contains another is masked whole.
  for (const list of byPrefix.values()) list.sort((a, b) => b.length - a.length);
  return (text) => {
    let out = "";
    let copied = 0;
    const last = text.length - MIN_SCRUB_LENGTH;
    for (let i = 0; i <= last; ) {
      if (bitmap[hash4(text, i)] === 0) {
        i++;
        continue;
      }
      const list = byPrefix.get(text.slice(i, i + MIN_SCRUB_LENGTH));
      const hit = list?.find((v) => text.startsWith(v, i));
      if (hit === undefined) {
        i++;
        continue;
      }
      out += text.slice(copied, i) + MASK;
      i += hit.length;
      copied = i;
    }
    return copied === 0 ? text : out + text.slice(copied);
  };
}

export function scrubString(text: string, secrets: readonly string[]): string {
  return makeScrubber(secrets)(text);
}

/** Text written outside a report (an error message) with every registered secret masked. */
export function scrubOutput(text: string): string {
  const secrets = knownSecrets();
  return secrets.length === 0 ? text : scrubString(text, secrets);
}

export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  const active = secrets.filter((s) => s.length >= MIN_SCRUB_LENGTH);
  if (active.length === 0) return value;
  const scrub = makeScrubber(active);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return scrub(v);
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
