// Where each report format goes. One run may give several `--format x --output y` pairs:
//   - the Nth --output goes with the Nth --format, and each --output must follow its --format on the
//     command line (so `--format json --format junit --output r.xml` is an error, not a JSON file named r.xml);
//   - a --format without an --output (or with `--output -`) goes to stdout; at most one format may;
//   - when no format claims stdout, the text report stays on the terminal;
//   - without any --format, each --output takes the format its extension names (.json, .md, .xml for JUnit,
//     .sarif, .txt), and the text report stays on the terminal; another extension is a usage error (writing the
//     text report into r.json was never what was meant).
// The same rules and formats for every command, audit included. Every renderer gets one protected copy of the
// report (sanitized, every registered secret masked in every string); colour only ever goes to a terminal.
import { writeFileSync } from "node:fs";
import { extname, resolve } from "node:path";
import { errorMessage, UsageError } from "../errors.js";
import type { AnyReport } from "../report/kinds.js";
import { makeScrubber } from "../report/redact.js";
import { FORMATS, type Format, loadRenderer } from "../report/renderers/index.js";
import { protect } from "../report/renderers/sanitize.js";
import { knownSecrets } from "../secrets.js";

export interface OutputTarget {
  format: Format;
  /** null: standard output. */
  path: string | null;
}

const HINT =
  "Write each --output right after its --format, e.g. --format json --output report.json --format junit --output report.xml.";

/** The order in which --format and --output appear on the command line (before a `--`). */
export function optionOrder(argv: readonly string[]): Array<"format" | "output"> {
  const order: Array<"format" | "output"> = [];
  for (const arg of argv) {
    if (arg === "--") break;
    const name = /^--(format|output)(?:=|$)/.exec(arg)?.[1];
    if (name === "format" || name === "output") order.push(name);
  }
  return order;
}

function checkOrder(
  formats: readonly string[],
  outputs: readonly string[],
  argv: readonly string[],
  hint: string,
): void {
  const order = optionOrder(argv);
  // Position of the k-th occurrence of each option in the combined sequence.
  const positions = (kind: "format" | "output") => order.flatMap((k, i) => (k === kind ? [i] : []));
  const fpos = positions("format");
  const opos = positions("output");
  if (fpos.length !== formats.length || opos.length !== outputs.length) return; // argv is not what yargs parsed
  for (const [k, at] of opos.entries()) {
    const own = fpos[k];
    const next = fpos[k + 1];
    if (own === undefined) return; // reported by the count check
    if (at < own)
      throw new UsageError(
        `--output ${outputs[k]} comes before its --format ${formats[k]} (the Nth --output goes with the Nth --format)`,
        hint,
      );
    if (next !== undefined && at > next)
      throw new UsageError(
        `--output ${outputs[k]} follows --format ${formats[k + 1]} but pairs with --format ${formats[k]} (the Nth --output goes with the Nth --format)`,
        hint,
      );
  }
}

/** The format each file extension names, for an --output given without --format. */
export const EXTENSION_FORMATS: Readonly<Record<string, Format>> = {
  ".json": "json",
  ".md": "markdown",
  ".markdown": "markdown",
  ".xml": "junit",
  ".sarif": "sarif",
  ".txt": "text",
};

/** The format an --output file's extension names; a usage error naming the flag otherwise. */
export function formatFromExtension(path: string): Format {
  if (path === "-") return "text";
  const ext = extname(path).toLowerCase();
  const format = EXTENSION_FORMATS[ext];
  if (format !== undefined) return format;
  const names = Object.keys(EXTENSION_FORMATS).join(", ");
  throw new UsageError(
    ext === ""
      ? `--output ${path} has no --format and no extension to take it from`
      : `--output ${path} has no --format, and ${ext} names no format`,
    `Put --format FORMAT before it (e.g. --format json --output ${path}), or name the file ${names}.`,
  );
}

function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

/** Turns the parsed --format/--output arrays into targets, or a usage error naming the problem. */
export function planOutputs(formatArg: unknown, outputArg: unknown, argv: readonly string[] = []): OutputTarget[] {
  const formats = toList(formatArg).map((f) => {
    if (!isFormat(f)) throw new UsageError(`--format ${f} is not a format`, `Use one of ${FORMATS.join(", ")}.`);
    return f;
  });
  const outputs = toList(outputArg);
  for (const o of outputs) if (o === "") throw new UsageError("--output needs a file name", HINT);
  let targets: OutputTarget[];
  if (formats.length === 0 && outputs.length > 0) {
    targets = outputs.map((path) => ({ format: formatFromExtension(path), path }));
  } else {
    if (outputs.length > formats.length) {
      throw new UsageError(
        `${outputs.length} --output files but ${formats.length === 0 ? "no" : `only ${formats.length}`} --format: every --output needs its own --format (the Nth --output goes with the Nth --format)`,
        HINT,
      );
    }
    checkOrder(formats, outputs, argv, HINT);
    targets = formats.map((format, i) => ({ format, path: outputs[i] ?? null }));
  }
  targets = targets.map((t) => (t.path === "-" ? { ...t, path: null } : t));
  const toStdout = targets.filter((t) => t.path === null);
  if (toStdout.length > 1) {
    throw new UsageError(
      `${toStdout.map((t) => `--format ${t.format}`).join(" and ")} would all go to standard output; only one format can`,
      "Give every format but one an --output FILE.",
    );
  }
  const seen = new Map<string, Format>();
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
  // The terminal keeps its text report unless a format took standard output.
  if (toStdout.length === 0) targets.push({ format: "text", path: null });
  return targets;
}

function toList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export interface TerminalOptions {
  color: boolean;
  verbose: boolean;
  width: number | undefined;
  writeStdout: (text: string) => void;
}

/**
 * Renders each target and writes it; files first, so a write error is reported before the terminal output. Every
 * string and key of the report is sanitized and stripped of every registered secret once, before any renderer runs
 * (`protect`): the renderers' templates around those strings hold no secret, so no output needs a pass of its own,
 * and a secret that a renderer would wrap, escape or split (Markdown, XML, a narrow terminal) is gone already.
 */
export async function writeOutputs(
  report: AnyReport,
  targets: readonly OutputTarget[],
  term: TerminalOptions,
): Promise<void> {
  const safe = protect(report, makeScrubber(knownSecrets()));
  const files = targets.filter((t) => t.path !== null);
  const stdout = targets.filter((t) => t.path === null);
  for (const t of files) {
    const render = await loadRenderer(t.format);
    const text = await render(safe, { color: false, verbose: term.verbose, width: undefined });
    try {
      writeFileSync(t.path as string, text);
    } catch (err) {
      throw new UsageError(
        `cannot write --output ${t.path}: ${errorMessage(err)}`,
        "Check that the folder exists and is writable.",
      );
    }
  }
  for (const t of stdout) {
    const render = await loadRenderer(t.format);
    const isText = t.format === "text";
    term.writeStdout(
      await render(safe, {
        color: isText && term.color,
        verbose: term.verbose,
        width: isText ? term.width : undefined,
      }),
    );
  }
}
