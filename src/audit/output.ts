// Where each audit report format goes, with the same pairing rules as the other commands (src/cli/output.ts):
// the Nth --output takes the Nth --format and follows it on the command line; at most one format goes to
// standard output; a lone --output writes text; the terminal keeps its text report unless a format took stdout.
// `sarif` is an audit-only format, so the audit plans its own targets.
import { planTargets, type Target } from "../cli/output.js";
import { errorMessage, UsageError } from "../errors.js";
import { writeOutputFile } from "../io/write.js";
import { makeScrubber } from "../report/redact.js";
import { knownSecrets } from "../secrets.js";
import { AUDIT_FORMATS, type AuditFormat, loadAuditRenderer } from "./renderers/index.js";
import { protectAudit } from "./renderers/sanitize.js";
import type { AuditReport } from "./types.js";

export type AuditTarget = Target<AuditFormat>;

const HINT =
  "Write each --output right after its --format, e.g. --format sarif --output audit.sarif --format json --output audit.json.";

export function planAuditOutputs(formatArg: unknown, outputArg: unknown, argv: readonly string[] = []): AuditTarget[] {
  return planTargets(formatArg, outputArg, argv, {
    formats: AUDIT_FORMATS,
    unknown: "is not a format for audit",
    hint: HINT,
  });
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
      writeOutputFile(t.path as string, text);
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
