// Reading an exposition back in tests: promtool (Debian's prometheus package) as the validator, and a small reader of
// the sample lines so tests can check label values round-trip through the escaping and no series repeats.
import { spawnSync } from "node:child_process";

export const PROMTOOL = spawnSync("promtool", ["--version"], { encoding: "utf8" }).status === 0 ? "promtool" : null;
export const NO_PROMTOOL =
  "promtool not found (Debian package prometheus; .ci/run installs it): exposition checks skipped";

/**
 * The one lint note promtool has for dbdoctor's metrics: the issue names the gauge dbdoctor_cert_days_left, and
 * promlint wants base units (seconds). dbdoctor_cert_not_after_seconds is the base-unit form of the same fact.
 */
export const KNOWN_LINT = 'dbdoctor_cert_days_left use base unit "seconds" instead of "days"';

export interface PromtoolResult {
  /** 0: valid and lint-clean; 3: valid with lint problems; 1: could not parse. */
  status: number | null;
  problems: string[];
  output: string;
}

export function promtoolCheck(text: string): PromtoolResult {
  const r = spawnSync(PROMTOOL ?? "promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  const output = `${r.stdout}${r.stderr}`;
  return {
    status: r.status,
    problems: output
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== ""),
    output,
  };
}

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The sample lines of a text exposition (comments skipped), label values unescaped. */
export function parseSamples(text: string): ParsedSample[] {
  const out: ParsedSample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    let i = 0;
    while (i < line.length && /[A-Za-z0-9_:]/.test(line[i] as string)) i++;
    const name = line.slice(0, i);
    const labels: Record<string, string> = {};
    if (line[i] === "{") {
      i++;
      while (line[i] !== "}") {
        const eq = line.indexOf("=", i);
        const label = line.slice(i, eq);
        i = eq + 2; // past ="
        let value = "";
        for (; line[i] !== '"'; i++) {
          if (line[i] === "\\") {
            i++;
            value += line[i] === "n" ? "\n" : (line[i] as string);
          } else value += line[i];
        }
        labels[label] = value;
        i++; // past the closing quote
        if (line[i] === ",") i++;
      }
      i++;
    }
    out.push({ name, labels, value: Number(line.slice(i).trim().split(" ")[0]) });
  }
  return out;
}

/** One sample's value by name and labels (all of them given), or undefined. */
export function sampleValue(samples: readonly ParsedSample[], name: string, labels: Record<string, string> = {}) {
  return samples.find(
    (s) =>
      s.name === name &&
      Object.keys(s.labels).length === Object.keys(labels).length &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}
