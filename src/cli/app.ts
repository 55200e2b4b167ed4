import yargs, { type Argv } from "yargs";
import { errorMessage, UsageError } from "../errors.js";
import type { Interaction } from "../model/interaction.js";
import { type AuthProbe, LIBPQ_MAJORS, type LibpqMajor, type UrlStyle } from "../model/options.js";
import { type AnyReport, exitCode } from "../report/kinds.js";
import { scrubOutput } from "../report/redact.js";
import { FORMATS } from "../report/renderers/index.js";
import { VERSION } from "../version.js";
import { parseDuration } from "./duration.js";
import type { CommonOptions } from "./options.js";
import { type OutputTarget, planOutputs, writeOutputs } from "./output.js";
import { progressBar } from "./progress.js";
import { canPrompt, promptHidden } from "./prompt.js";

const EXIT_CODES = `Exit codes:
  0  nothing at or above --fail-on
  1  findings at or above --fail-on (the CI gate)
  2  dbdoctor could not do its job (usage error, unreadable input, internal error)`;

type CommandRunner = (args: Record<string, unknown>, common: CommonOptions, io: Interaction) => Promise<AnyReport>;

function commonOptions<T>(y: Argv<T>) {
  return (
    y
      // Repeatable pairs: the Nth --output takes the Nth --format (src/cli/output.ts). nargs 1 stops an array
      // option from swallowing the positional connection string that follows it.
      .option("format", {
        choices: FORMATS,
        array: true,
        nargs: 1,
        describe: "Report format (repeatable, text by default)",
        group: "Output:",
      })
      .option("output", {
        type: "string",
        array: true,
        nargs: 1,
        describe: "Write the preceding --format to this file; text stays on the terminal",
        group: "Output:",
      })
      .option("fail-on", {
        choices: ["error", "warning", "never"] as const,
        default: "error" as const,
        describe: "Lowest severity that makes the exit code 1",
        group: "Output:",
      })
      .option("color", {
        type: "boolean",
        describe: "Force colour on or off (NO_COLOR and FORCE_COLOR also work)",
        group: "Output:",
      })
      .option("verbose", {
        type: "boolean",
        default: false,
        describe: "Show evidence: subjects, SANs, dates, TLS details",
        group: "Output:",
      })
      .option("timeout", {
        type: "string",
        default: "5s",
        describe: "Deadline for each network step",
        group: "Diagnosis:",
      })
      .option("offline", {
        type: "boolean",
        default: false,
        describe: "No network: parse and file checks only",
        group: "Diagnosis:",
      })
      .option("url-style", {
        choices: ["auto", "sqlalchemy", "libpq"] as const,
        default: "auto" as const,
        describe: "How to read a URL: as SQLAlchemy (SkillFlaw) does, or as libpq does",
        group: "Diagnosis:",
      })
      .option("libpq", {
        type: "number",
        default: 17,
        describe: `Which libpq major's keywords and rules to model (${LIBPQ_MAJORS[0]} to ${LIBPQ_MAJORS.at(-1)})`,
        group: "Diagnosis:",
      })
      .option("auth-probe", {
        choices: ["safe", "all", "none"] as const,
        default: "safe" as const,
        describe: "When to send credentials: safe = only where the application would, or over a verified channel",
        group: "Diagnosis:",
      })
  );
}

function resolveColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTTY;
}

function toCommon(args: Record<string, unknown>): CommonOptions {
  const libpq = Number(args.libpq);
  if (!(LIBPQ_MAJORS as readonly number[]).includes(libpq)) {
    throw new UsageError(
      `--libpq ${String(args.libpq)} is not a modelled libpq major`,
      `Use one of ${LIBPQ_MAJORS.join(", ")}.`,
    );
  }
  return {
    format: ((args.format as string[] | undefined)?.[0] ?? "text") as CommonOptions["format"],
    output: (args.output as string[] | undefined)?.[0],
    failOn: args.failOn as CommonOptions["failOn"],
    timeoutMs: parseDuration(String(args.timeout), "--timeout"),
    offline: Boolean(args.offline),
    urlStyle: args.urlStyle as UrlStyle,
    libpq: libpq as LibpqMajor,
    authProbe: args.authProbe as AuthProbe,
    color: args.color as boolean | undefined,
    verbose: Boolean(args.verbose),
  };
}

async function emit(report: AnyReport, common: CommonOptions, targets: OutputTarget[]): Promise<number> {
  await writeOutputs(report, targets, {
    color: resolveColor(common.color, process.env, Boolean(process.stdout.isTTY)),
    verbose: common.verbose,
    width: process.stdout.isTTY ? process.stdout.columns : undefined,
    writeStdout: (text) => process.stdout.write(text),
  });
  return exitCode(report, common.failOn);
}

/** What the engines may ask of the terminal: a hidden passphrase prompt, a progress bar; neither without one. */
function terminal(): Interaction {
  return {
    ...(canPrompt() ? { askSecret: promptHidden } : {}),
    ...(process.stderr.isTTY ? { progress: progressBar(process.stderr) } : {}),
  };
}

// Each command's engine loads only when that command runs (start-up speed).
const runners: Record<"check" | "parse" | "certs" | "server" | "instances" | "audit", CommandRunner> = {
  check: async (a, c) => (await import("../engine/check.js")).runCheck(a, c),
  instances: async (a, c) => (await import("../engine/instances.js")).runInstances(a, c),
  parse: async (a, c) => (await import("../engine/parse.js")).runParse(a, c),
  certs: async (a, c, io) => (await import("../engine/certs.js")).runCerts(a, c, io),
  server: async (a, c) => (await import("../engine/server.js")).runServer(a, c),
  audit: async (a, c, io) => (await import("../engine/audit.js")).runAudit(a, c, io),
};

function reportError(err: unknown, verbose: boolean): number {
  if (err instanceof UsageError) {
    process.stderr.write(scrubOutput(`dbdoctor: error: ${err.message}\n${err.hint ? `  hint: ${err.hint}\n` : ""}`));
  } else {
    // Internal errors: one line, no stack unless asked for, and never a secret.
    const detail = verbose && err instanceof Error && err.stack ? `\n${err.stack}` : "";
    process.stderr.write(
      scrubOutput(
        `dbdoctor: internal error: ${errorMessage(err)}${detail}\n  hint: run again with --verbose and report it.\n`,
      ),
    );
  }
  return 2;
}

export async function main(argv: string[]): Promise<number> {
  let status = 0;
  const run = (runner: CommandRunner) => async (args: Record<string, unknown>) => {
    try {
      const common = toCommon(args);
      // Plan the outputs first: a usage error in --format/--output must not cost a probe or a scan.
      const targets = planOutputs(args.format, args.output, argv);
      status = await emit(await runner(args, common, terminal()), common, targets);
    } catch (err) {
      status = reportError(err, Boolean(args.verbose));
    }
  };
  const capacityOptions = <T>(y: Argv<T>) =>
    y
      .option("instances", {
        type: "number",
        default: 1,
        describe: "How many SkillFlaw instances share the database",
        group: "SkillFlaw:",
      })
      .option("workers", {
        type: "number",
        describe: "Worker processes per instance (default: SKILLFLAW_WORKERS, else 1)",
        group: "SkillFlaw:",
      });
  const connSource = <T>(y: Argv<T>) =>
    y
      .positional("connstring", { type: "string", describe: "Connection string (URL or keyword/value)" })
      .option("env-file", {
        type: "string",
        array: true,
        // One file per flag: otherwise `--env-file .env 'host=x'` swallows the connection string.
        nargs: 1,
        default: [] as string[],
        describe: "A .env file to read (repeatable; a later file wins)",
        group: "Input:",
      })
      .option("var", {
        type: "string",
        default: "SKILLFLAW_DATABASE_URL",
        describe: "The variable that holds the connection string",
        group: "Input:",
      });

  const parser = yargs(argv)
    .scriptName("dbdoctor")
    .usage(
      "$0 <command> [options]\n\nWhy can't the application reach its PostgreSQL database over TLS, and how to fix it.",
    )
    .command(
      "check [connstring]",
      "Full diagnosis: connection string, files, server probe, every sslmode, SkillFlaw pools and schema",
      (y) =>
        capacityOptions(commonOptions(connSource(y)))
          .example("$0 check --env-file .env", "Diagnose SKILLFLAW_DATABASE_URL from a .env file")
          .example(
            "$0 check 'postgresql://app@db.internal:5432/app?sslmode=verify-full' --format json",
            "Machine-readable report",
          )
          .example("$0 check --offline --fail-on warning", "CI gate without network"),
      run(runners.check),
    )
    .command(
      "parse [connstring]",
      "Only read the connection string, as libpq and SQLAlchemy would (no files, no network)",
      (y) =>
        commonOptions(connSource(y))
          .example("$0 parse 'host=db sslmode=verify_full'", "Shows libpq's error and a did-you-mean")
          .example("$0 parse --env-file .env --format json", "The interpretation as JSON"),
      run(runners.parse),
    )
    .command(
      "instances [connstring]",
      "Who is connected to SkillFlaw's database, plus pool sizing, connection slots, version, schema and cloud hints",
      (y) =>
        capacityOptions(commonOptions(connSource(y)))
          .example("$0 instances --env-file .env", "Clients of the database SKILLFLAW_DATABASE_URL names")
          .example("$0 instances --env-file .env --instances 3 --workers 4", "Do 3 × 4 pools fit max_connections?"),
      run(runners.instances),
    )
    .command(
      "certs",
      "Offline checks of the CA, client certificate, key and CRL files",
      (y) =>
        commonOptions(y)
          .option("sslrootcert", { type: "string", describe: "CA file the client trusts", group: "Files:" })
          .option("sslcert", { type: "string", describe: "Client certificate file", group: "Files:" })
          .option("sslkey", { type: "string", describe: "Client key file", group: "Files:" })
          .option("sslcrl", { type: "string", describe: "CRL file", group: "Files:" })
          .option("sslcrldir", { type: "string", describe: "CRL directory (openssl rehash)", group: "Files:" })
          .option("server-cert", {
            type: "string",
            describe: "The server's chain as it sends it, leaf first",
            group: "Files:",
          })
          .option("host", {
            type: "string",
            describe: "Host name to check the server certificate against",
            group: "Files:",
          })
          .option("sslmode", {
            type: "string",
            default: "verify-full",
            describe: "Judge --server-cert under this sslmode",
            group: "Files:",
          })
          .option("warn-days", {
            type: "number",
            default: 30,
            describe: "Warn about certificates expiring within this many days",
            group: "Files:",
          })
          .option("user", {
            type: "string",
            describe: "Database user the client certificate's CN must match (pg_hba cert auth); default PGUSER",
            group: "Files:",
          })
          .example("$0 certs --sslrootcert ca.crt --sslcert client.crt --sslkey client.key", "Check client files")
          .example(
            "$0 certs --server-cert server-chain.pem --host db.internal --sslrootcert ca.crt",
            "Would verify-full accept it?",
          ),
      run(runners.certs),
    )
    .command(
      "server <target>",
      "Wire-level TLS probe of HOST[:PORT], like openssl s_client -starttls postgres but readable",
      (y) =>
        commonOptions(y)
          .positional("target", { type: "string", describe: "HOST[:PORT]", demandOption: true })
          .option("sslrootcert", {
            type: "string",
            describe: "CA file (or 'system') to judge the chain",
            group: "Server:",
          })
          .option("sslcrl", { type: "string", describe: "CRL file, used with --sslrootcert", group: "Server:" })
          .option("sslcrldir", { type: "string", describe: "CRL directory, used with --sslrootcert", group: "Server:" })
          .option("servername", {
            type: "string",
            describe: "Host name for SNI and the name check, when HOST is an address (libpq's host vs hostaddr)",
            group: "Server:",
          })
          .option("sslsni", {
            type: "string",
            choices: ["0", "1"],
            describe: "Send SNI (libpq's sslsni)",
            group: "Server:",
          })
          .option("sslnegotiation", {
            choices: ["postgres", "direct"] as const,
            describe: "The negotiation the client is configured with",
            group: "Server:",
          })
          .option("ssl-min-protocol-version", {
            type: "string",
            describe: "Client minimum TLS version",
            group: "Server:",
          })
          .option("ssl-max-protocol-version", {
            type: "string",
            describe: "Client maximum TLS version",
            group: "Server:",
          })
          .option("scan-versions", {
            type: "boolean",
            default: true,
            describe: "Try TLS 1.0 to 1.3 one by one",
            group: "Server:",
          })
          .example("$0 server db.internal:5432", "Protocols, chain and SSLRequest behaviour")
          .example("$0 server 10.0.0.5 --servername db.internal --sslrootcert ca.crt", "Judge the chain and the name"),
      run(runners.server),
    )
    .command(
      "audit <paths..>",
      "Security review: every PostgreSQL connection setting in a tree of configuration files",
      (y) =>
        commonOptions(y)
          .positional("paths", {
            type: "string",
            array: true,
            describe: "Files and directories (recursive, honours .gitignore)",
          })
          .option("include", {
            type: "string",
            array: true,
            nargs: 1,
            default: [] as string[],
            describe: "Only files matching this glob (repeatable)",
            group: "Audit:",
          })
          .option("exclude", {
            type: "string",
            array: true,
            nargs: 1,
            default: [] as string[],
            describe: "Skip files and directories matching this glob (repeatable)",
            group: "Audit:",
          })
          .option("ignore", {
            type: "boolean",
            default: true,
            describe:
              "Honour .gitignore; ignored files are listed as skipped, --no-ignore audits them too (a named path or --include always wins)",
            group: "Audit:",
          })
          .option("live", {
            type: "boolean",
            default: false,
            describe: "Also probe the servers found (TLS only; never sends credentials)",
            group: "Audit:",
          })
          .option("concurrency", {
            type: "number",
            default: 8,
            describe: "Servers probed at once with --live",
            group: "Audit:",
          })
          .example("$0 audit .", "Every setting in the repository")
          .example("$0 audit deploy/ --format sarif --output audit.sarif", "SARIF 2.1.0 for code scanning")
          .example("$0 audit . --exclude 'test/**' --fail-on warning", "CI gate")
          .example("$0 audit . --no-ignore", "Also the .gitignore'd files (the .env you deploy with)"),
      run(runners.audit),
    )
    .demandCommand(1, "Name a command: check, parse, certs, server, instances or audit.")
    .strict()
    .version(VERSION)
    .alias("V", "version")
    .help()
    .alias("h", "help")
    .epilogue(EXIT_CODES)
    .wrap(Math.min(120, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg ?? "invalid usage", "See dbdoctor --help.");
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    return reportError(
      err instanceof UsageError ? err : new UsageError(errorMessage(err), "See dbdoctor --help."),
      false,
    );
  }
  return status;
}
