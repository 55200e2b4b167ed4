// Where each audit report format goes, with the same pairing rules as the other commands (src/cli/output.ts):
// the Nth --output takes the Nth --format and follows it on the command line; at most one format goes to
// standard output; a lone --output writes text; the terminal keeps its text report unless a format took stdout.
// `sarif` is an audit-only format, so the audit plans its own targets.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { optionOrder } from "../cli/output.js";
import { errorMessage, UsageError } from "../errors.js";
import { knownSecrets } from "../secrets.js";
import { AUDIT_FORMATS, type AuditFormat, loadAuditRenderer } from "./renderers/index.js";
import { protectAudit } from "./renderers/sanitize.js";
import { makeScrubber } from "./scrub.js";
import type { AuditReport } from "./types.js";

export interface AuditTarget {
  format: AuditFormat;
  path: string | null;
}

const HINT =
  "Write each --output right after its --format, e.g. --format sarif --output audit.sarif --format json --output audit.json.";

function toList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function planAuditOutputs(formatArg: unknown, outputArg: unknown, argv: readonly string[] = []): AuditTarget[] {
  const formats = toList(formatArg).map((f) => {
    if (!(AUDIT_FORMATS as readonly string[]).includes(f))
      throw new UsageError(`--format ${f} is not a format for audit`, `Use one of ${AUDIT_FORMATS.join(", ")}.`);
    return f as AuditFormat;
  });
  const outputs = toList(outputArg);
  for (const o of outputs) if (o === "") throw new UsageError("--output needs a file name", HINT);
  let targets: AuditTarget[];
  if (formats.length === 0 && outputs.length === 1) targets = [{ format: "text", path: outputs[0] ?? null }];
  else {
    if (outputs.length > formats.length)
      throw new UsageError(
        `${outputs.length} --output files but ${formats.length === 0 ? "no" : `only ${formats.length}`} --format: every --output needs its own --format`,
        HINT,
      );
    const order = optionOrder(argv);
    const fpos = order.flatMap((k, i) => (k === "format" ? [i] : []));
    const opos = order.flatMap((k, i) => (k === "output" ? [i] : []));
    if (fpos.length === formats.length && opos.length === outputs.length)
      for (const [k, at] of opos.entries()) {
        const own = fpos[k];
        const next = fpos[k + 1];
        if (own !== undefined && (at < own || (next !== undefined && at > next)))
          throw new UsageError(
            `--output ${outputs[k]} does not follow its --format ${formats[k]} (the Nth --output goes with the Nth --format)`,
            HINT,
          );
      }
    targets = formats.map((format, i) => ({ format, path: outputs[i] ?? null }));
  }
  targets = targets.map((t) => (t.path === "-" ? { ...t, path: null } : t));
  const toStdout = targets.filter((t) => t.path === null);
  if (toStdout.length > 1)
    throw new UsageError(
      `${toStdout.map((t) => `--format ${t.format}`).join(" and ")} would all go to standard output; only one format can`,
      "Give every format but one an --output FILE.",
    );
  const seen = new Map<string, AuditFormat>();
  for (const t of targets) {
    if (t.path === null) continue;
    const key = resolve(t.path);
    const other = seen.get(key);
    if (other !== undefined)
      throw new UsageError(
        `--output ${t.path} is given for both --format ${other} and --format ${t.format}`,
        "Give each format its own file.",
      );
    seen.set(key, t.format);
  }
  if (toStdout.length === 0) targets.push({ format: "text", path: null });
  return targets;
}

/**
 * Renders each target and writes it, files first. Every string of the report is sanitized and stripped of every
 * registered secret once, before any renderer runs (protectAudit): the templates around those strings hold no
 * secret, so this covers what scrubOutput would, in one pass instead of one pass per secret over every output.
 */
export async function writeAuditOutputs(
  report: AuditReport,
  targets: readonly AuditTarget[],
  term: { color: boolean; verbose: boolean; width: number | undefined; writeStdout: (text: string) => void },
): Promise<void> {
  const safe = protectAudit(report, makeScrubber(knownSecrets()));
  for (const t of targets.filter((x) => x.path !== null)) {
    const render = await loadAuditRenderer(t.format);
    const text = render(safe, { color: false, verbose: term.verbose });
    try {
      writeFileSync(t.path as string, text);
    } catch (err) {
      throw new UsageError(
        `cannot write --output ${t.path}: ${errorMessage(err)}`,
        "Check that the folder exists and is writable.",
      );
    }
  }
  for (const t of targets.filter((x) => x.path === null)) {
    const render = await loadAuditRenderer(t.format);
    const isText = t.format === "text";
    term.writeStdout(
      render(safe, {
        color: isText && term.color,
        verbose: term.verbose,
        ...(isText && term.width ? { width: term.width } : {}),
      }),
    );
  }
}
