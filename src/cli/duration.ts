import { UsageError } from "../errors.js";

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** "5s", "250ms", "1m" or a bare number of seconds, as --timeout takes it. */
export function parseDuration(text: string, option: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!m) throw new UsageError(`${option} "${text}" is not a duration`, `Write it like 5s, 1500ms or 1m.`);
  const ms = Number(m[1]) * (UNITS[m[2] ?? "s"] ?? 1000);
  if (ms <= 0 || ms > 600_000)
    throw new UsageError(`${option} "${text}" is out of range`, "Use a value between 1ms and 10m.");
  return Math.round(ms);
}
