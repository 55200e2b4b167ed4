// The output safety net for reports that may name thousands of secrets. scrubOutput (src/secrets.ts) replaces
// each secret with split/join, one pass over the text per secret: fine for one connection string, quadratic for
// an audit of 10,000. This matcher does the same replacements (the same variants and minimum length as
// src/report/redact.ts) in one pass: a bitmap of hashed 4-character prefixes rules out almost every position
// with a few integer operations, and only a hit looks the prefix up.
import { MASK } from "../conninfo/types.js";
import { MIN_SCRUB_LENGTH } from "../report/redact.js";

const BITS = 1 << 20;

function variants(secret: string): string[] {
  const out = new Set<string>([secret]);
  try {
    out.add(encodeURIComponent(secret));
  } catch {
    // a lone surrogate cannot be percent-encoded; the raw form is still scrubbed
  }
  out.add(JSON.stringify(secret).slice(1, -1));
  return [...out].filter((v) => v.length >= MIN_SCRUB_LENGTH);
}

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
