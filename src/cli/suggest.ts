// "Did you mean" for command and option names typed on the command line.
import { levenshtein } from "../text/distance.js";

/** Case, `-` and `_` do not make a different word: --env_file, --envFile and --ENV-FILE all mean --env-file. */
const normalize = (s: string): string => s.toLowerCase().replace(/[-_]/g, "");

/**
 * The candidate the user most likely meant, or undefined when none is close: the same word spelt differently,
 * a candidate that starts with what was typed (an abbreviation: --verb), else at most two edits (one for words of
 * four letters or fewer, where two edits make a different word).
 */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  const norm = normalize(typed);
  if (norm === "") return undefined;
  const same = candidates.find((c) => normalize(c) === norm);
  if (same !== undefined) return same;
  const prefixed = candidates.filter((c) => norm.length >= 3 && normalize(c).startsWith(norm));
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = levenshtein(norm, normalize(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= (norm.length <= 4 ? 1 : 2) ? best : undefined;
}
