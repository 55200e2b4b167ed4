import yargs, { type Argv } from "yargs";
import { errorMessage, UsageError } from "../errors.js";
import type { Interaction } from "../model/interaction.js";
import { type AuthProbe, LIBPQ_MAJORS, type LibpqMajor, type UrlStyle } from "../model/options.js";
import { type AnyReport, exitCode } from "../report/kinds.js";
import { VERSION } from "../version.js";
import { type CheckedArgv, checkArgv, restoreDashDash } from "./argv.js";
import { parseDuration } from "./duration.js";
import { runExporterCommand } from "./exporter.js";
import type { CommonOptions } from "./options.js";
import { type OutputTarget, planOutputs, writeOutputs } from "./output.js";
import { progressBar } from "./progress.js";
import { canPrompt, promptHidden } from "./prompt.js";
import { COMMANDS, type CommandName, type CommandSpec, usageLine, yargsCommand } from "./spec.js";
import { helpWidth, resolveColor } from "./terminal.js";

const EXIT_CODES = `Exit codes:
  0  nothing at or above --fail-on
  1  findings at or above --fail-on (the CI gate)
  2  dbdoctor could not do its job (usage, input or internal error)`;

type CommandRunner = (args: Record<string, unknown>, common: CommonOptions, io: Interaction) => Promise<AnyReport>;

/** The common options, each from the command line or, where it does not apply to the command, its default. */
function toCommon(args: Record<string, unknown>): CommonOptions {
  const libpq = Number(args.libpq ?? 17);
  if (!(LIBPQ_MAJORS as readonly number[]).includes(libpq)) {
    throw new UsageError(
      `--libpq ${String(args.libpq)} is not a modelled libpq major`,
      `Use one of ${LIBPQ_MAJORS.join(", ")}.`,
    );
  }
  return {
    format: ((args.format as string[] | undefined)?.[0] ?? "text") as CommonOptions["format"],
    output: (args.output as string[] | undefined)?.[0],
    failOn: (args.failOn ?? "error") as CommonOptions["failOn"],
    timeoutMs: parseDuration(String(args.timeout ?? "5s"), "--timeout"),
    offline: Boolean(args.offline),
    urlStyle: (args.urlStyle ?? "auto") as UrlStyle,
    libpq: libpq as LibpqMajor,
    authProbe: (args.authProbe ?? "safe") as AuthProbe,
    // Settled here for every command (the audit too): flag, FORCE_COLOR, NO_COLOR, TERM=dumb, a terminal.
    color: resolveColor(args.color as boolean | undefined, process.env, Boolean(process.stdout.isTTY)),
    verbose: Boolean(args.verbose),
  };
}

async function emit(report: AnyReport, common: CommonOptions, targets: OutputTarget[]): Promise<number> {
  await writeOutputs(report, targets, {
    color: common.color === true,
    verbose: common.verbose,
    width: process.stdout.isTTY ? process.stdout.columns : undefined,
    writeStdout: (text) => process.stdout.write(text),
  });
  return exitCode(report, common.failOn);
}

/** What an engine may ask of the person at the terminal: a key passphrase, a progress bar (UI stays in cli/). */
function terminal(): Interaction {
  return {
    ...(canPrompt() ? { askSecret: promptHidden } : {}),
    ...(process.stderr.isTTY ? { progress: progressBar(process.stderr) } : {}),
  };
}

// Each command's engine loads only when that command runs (start-up speed).
const runners: Record<Exclude<CommandName, "exporter">, CommandRunner> = {
  check: async (a, c) => (await import("../engine/check.js")).runCheck(a, c),
  instances: async (a, c) => (await import("../engine/instances.js")).runInstances(a, c),
  parse: async (a, c) => (await import("../engine/parse.js")).runParse(a, c),
  certs: async (a, c, io) => (await import("../engine/certs.js")).runCerts(a, c, io),
  server: async (a, c) => (await import("../engine/server.js")).runServer(a, c),
  audit: async (a, c, io) => (await import("../engine/audit.js")).runAudit(a, c, io),
};

/**
 * Writes a usage or internal error to stderr, with every secret of the command line masked. Returns exit code 2.
 * The redaction (libpq's keyword tables) loads only on this path.
 */
async function reportError(err: unknown, argv: readonly string[], verbose: boolean): Promise<number> {
  let text: string;
  if (err instanceof UsageError) {
    text = `dbdoctor: error: ${err.message}\n${err.hint ? `  hint: ${err.hint}\n` : ""}`;
  } else {
    // Internal errors: one line, no stack unless asked for, and never a secret.
    const detail = verbose && err instanceof Error && err.stack ? `\n${err.stack}` : "";
    text = `dbdoctor: internal error: ${errorMessage(err)}${detail}\n  hint: run again with --verbose and report it.\n`;
  }
  const { redactUsage } = await import("./usage-redact.js");
  process.stderr.write(redactUsage(text, argv));
  return 2;
}

/** The parsed arguments with the positionals that followed `--` put back in place of their placeholders. */
function withPositionals(spec: CommandSpec, parsed: Record<string, unknown>, afterDashDash: readonly string[]) {
  const p = spec.positional;
  if (p === undefined || afterDashDash.length === 0) return parsed;
  return { ...parsed, [p.name]: restoreDashDash(parsed[p.name], afterDashDash) };
}

function define(y: Argv, spec: CommandSpec): Argv {
  y.usage(`${usageLine(spec)}\n\n${spec.describe}`);
  const p = spec.positional;
  if (p !== undefined)
    // No default: yargs shows a variadic's implicit [] as "[required] [default: []]".
    y.positional(p.name, { type: "string", describe: p.describe, default: undefined, array: p.variadic });
  y.options(spec.options);
  for (const [command, description] of spec.examples) y.example(command, description);
  return y;
}

/** yargs' own messages for what argv.ts leaves to it (choices, a value missing mid-line), in dbdoctor's words. */
export function yargsUsageError(msg: string): UsageError {
  const choice = /Argument: ([\w-]+), Given: (.*), Choices: (.*)$/m.exec(msg);
  if (choice) return new UsageError(`--${choice[1]} ${choice[2]} is not valid`, `Use one of ${choice[3]}.`);
  const following = /^Not enough arguments following: ([\w-]+)$/.exec(msg);
  if (following) return new UsageError(`--${following[1]} needs a value`, `Write --${following[1]} VALUE.`);
  return new UsageError(msg, "See dbdoctor --help.");
}

export async function main(argv: string[]): Promise<number> {
  let checked: CheckedArgv;
  try {
    checked = checkArgv(argv);
  } catch (err) {
    return await reportError(err, argv, false);
  }
  const { afterDashDash } = checked;
  let status = 0;
  const handler = (spec: CommandSpec) => async (parsed: Record<string, unknown>) => {
    try {
      // The exporter serves reports over HTTP until it is stopped: no report of its own to emit.
      if (spec.name === "exporter") {
        status = await runExporterCommand(parsed);
        return;
      }
      const args = withPositionals(spec, parsed, afterDashDash);
      const common = toCommon(args);
      // Plan the outputs first: a usage error in --format/--output must not cost a probe or a scan.
      const targets = planOutputs(args.format, args.output, argv);
      status = await emit(await runners[spec.name](args, common, terminal()), common, targets);
    } catch (err) {
      status = await reportError(err, argv, Boolean(parsed.verbose));
    }
  };

  let parser = yargs(checked.forYargs)
    .scriptName("dbdoctor")
    .usage(
      "$0 <command> [options]\n\nWhy can't the application reach its PostgreSQL database over TLS, and how to fix it.",
    );
  for (const spec of COMMANDS)
    parser = parser.command(yargsCommand(spec), spec.describe, (y) => define(y, spec), handler(spec));
  parser = parser
    .strict()
    .version(VERSION)
    .alias("V", "version")
    .help()
    .alias("h", "help")
    .epilogue(EXIT_CODES)
    .wrap(helpWidth(process.stdout.columns, process.stderr.columns, process.env))
    .exitProcess(false)
    .fail((msg, err) => {
      // yargs reports usage mistakes as a message or as a YError; anything else is ours.
      if (err === undefined || err === null) throw yargsUsageError(msg ?? "invalid usage");
      throw err.name === "YError" ? yargsUsageError(err.message) : err;
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    return await reportError(
      err instanceof UsageError ? err : new UsageError(errorMessage(err), "See dbdoctor --help."),
      argv,
      false,
    );
  }
  return status;
}
