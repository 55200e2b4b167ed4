// The command line as data: each command with its positionals and the options that do something there. yargs is
// built from this table (app.ts), and the argument check (argv.ts) reads it to name unknown options, suggest the
// intended one and say which commands an option belongs to.
import type { Options } from "yargs";
import { CLIENT_CHOICES } from "../model/client.js";
import { DEADLINE_FACTOR, LIBPQ_MAJORS } from "../model/options.js";
import { FORMATS } from "../report/renderers/index.js";
import { EXPORTER_DESCRIBE, EXPORTER_OPTIONS } from "./exporter.js";

export const COMMAND_NAMES = ["check", "parse", "instances", "certs", "server", "audit", "exporter"] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export interface PositionalSpec {
  name: string;
  describe: string;
  /** What the usage line shows, e.g. "HOST[:PORT]". */
  placeholder: string;
  required: boolean;
  /** Takes every remaining argument (audit's paths). */
  variadic: boolean;
}

export interface CommandSpec {
  name: CommandName;
  describe: string;
  positional: PositionalSpec | undefined;
  /** Option name (kebab-case, as typed) -> yargs definition. Only options that change what the command does. */
  options: Record<string, Options>;
  examples: ReadonlyArray<readonly [string, string]>;
}

// ---- options ---------------------------------------------------------------------------------------------------

function output(formats: readonly string[]): Record<string, Options> {
  return {
    // Repeatable pairs: the Nth --output takes the Nth --format (src/cli/output.ts). nargs 1 stops an array
    // option from swallowing the positional connection string that follows it.
    format: {
      choices: formats,
      array: true,
      nargs: 1,
      describe: "Report format (repeatable, text by default)",
      group: "Output:",
    },
    output: {
      type: "string",
      array: true,
      nargs: 1,
      describe: `Write the preceding --format to this file (alone: the format its extension names: .json, .md, .xml${formats.includes("sarif") ? ", .sarif" : ""}, .txt)`,
      group: "Output:",
    },
    "fail-on": {
      choices: ["error", "warning", "never"],
      default: "error",
      describe: "Lowest severity that makes the exit code 1",
      group: "Output:",
    },
    color: {
      type: "boolean",
      describe: "Force colour on or off (else FORCE_COLOR, NO_COLOR, TERM=dumb, a terminal)",
      group: "Output:",
    },
    verbose: {
      type: "boolean",
      default: false,
      describe: "Show evidence: subjects, SANs, dates, TLS details",
      group: "Output:",
    },
  };
}

const timeout: Options = {
  type: "string",
  default: "5s",
  describe: "Deadline for each network step",
  group: "Diagnosis:",
};
// The whole network part of a run: an overall bound above the per-step --timeout (src/run/scope.ts).
const deadline: Options = {
  type: "string",
  describe: `Bound on the whole network part of the run; steps it cuts are reported as not run (default: ${DEADLINE_FACTOR} times the timeout)`,
  group: "Diagnosis:",
};
const offline: Options = {
  type: "boolean",
  default: false,
  describe: "No network: parse and file checks only",
  group: "Diagnosis:",
};
const urlStyle: Options = {
  choices: ["auto", "sqlalchemy", "libpq"],
  default: "auto",
  describe: "How to read a URL: as SQLAlchemy (SkillFlaw) does, or as libpq does",
  group: "Diagnosis:",
};
// Kept on certs and server: the major changes their verdicts (IP SANs from 15, CN fallback up to 14,
// sslrootcert=system from 16, sslcrldir from 14, ALPN from 17).
const libpq: Options = {
  type: "number",
  default: 17,
  describe: `Which libpq major's keywords and rules to model (${LIBPQ_MAJORS[0]} to ${LIBPQ_MAJORS.at(-1)})`,
  group: "Diagnosis:",
};
// On the commands that predict for a client, --libpq N is a shorthand for --client libpq-N, and without either the
// client is chosen from where the value came from (engine/client.ts): no yargs default, so "not given" is seen.
const clientLibpq: Options = {
  type: "number",
  describe: `Shorthand for --client libpq-N (${LIBPQ_MAJORS[0]} to ${LIBPQ_MAJORS.at(-1)})`,
  group: "Diagnosis:",
};
const client: Options = {
  choices: CLIENT_CHOICES,
  describe:
    "The client to predict for (libpq major, OpenSSL, trust store); default: psycopg-binary for SKILLFLAW_DATABASE_URL, else the local psql's libpq, else libpq-17",
  group: "Diagnosis:",
};
const authProbe: Options = {
  choices: ["safe", "all", "none"],
  default: "safe",
  describe: "When to send credentials: safe = only where the application would, or over a verified channel",
  group: "Diagnosis:",
};

const connSource: Record<string, Options> = {
  "env-file": {
    type: "string",
    array: true,
    // One file per flag: otherwise `--env-file .env 'host=x'` swallows the connection string.
    nargs: 1,
    describe: "A .env file to read (repeatable; a later file wins)",
    group: "Input:",
  },
  var: {
    type: "string",
    default: "SKILLFLAW_DATABASE_URL",
    describe: "The variable that holds the connection string",
    group: "Input:",
  },
};

// A rule option (files/validity's warnDays): no yargs default, so the rule's declared default is the only one.
const warnDays: Options = {
  type: "number",
  describe: "Warn about certificates (files and the server's chain) expiring within this many days (default 30)",
  group: "Certificates:",
};

const saveChain: Options = {
  type: "string",
  describe: "Write the certificates the server sent to FILE (PEM, leaf first), like openssl s_client -showcerts",
  group: "Certificates:",
};

/** check only: instances always reads SkillFlaw's pools. */
const app: Options = {
  choices: ["auto", "skillflaw", "libpq"],
  default: "auto",
  describe:
    "Which application the setting is for: SkillFlaw's pool and capacity rules apply to skillflaw (auto: a value from SKILLFLAW_DATABASE_URL or an --env-file)",
  group: "SkillFlaw:",
};

const capacity: Record<string, Options> = {
  instances: {
    type: "number",
    default: 1,
    describe: "How many SkillFlaw instances share the database",
    group: "SkillFlaw:",
  },
  workers: {
    type: "number",
    describe: "Worker processes per instance (default: SKILLFLAW_WORKERS, else 1)",
    group: "SkillFlaw:",
  },
};

const connstring: PositionalSpec = {
  name: "connstring",
  describe: "Connection string (URL or keyword/value); default: SKILLFLAW_DATABASE_URL",
  placeholder: "CONNSTRING",
  required: false,
  variadic: false,
};

// ---- commands --------------------------------------------------------------------------------------------------

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "check",
    describe: "Full diagnosis: connection string, files, server probe, every sslmode, SkillFlaw pools and schema",
    positional: connstring,
    options: {
      ...connSource,
      ...output(FORMATS),
      timeout,
      deadline,
      offline,
      "url-style": urlStyle,
      client,
      libpq: clientLibpq,
      "auth-probe": authProbe,
      "warn-days": warnDays,
      "save-chain": saveChain,
      app,
      ...capacity,
    },
    examples: [
      ["$0 check --env-file .env", "Diagnose SKILLFLAW_DATABASE_URL from a .env file"],
      ["$0 check 'host=db sslmode=verify-full' --format json", "Machine-readable report"],
      ["$0 check --offline --fail-on warning", "CI gate without network"],
    ],
  },
  {
    name: "parse",
    describe: "Only read the connection string, as libpq and SQLAlchemy would (no files, no network)",
    positional: connstring,
    options: { ...connSource, ...output(FORMATS), "url-style": urlStyle, client, libpq: clientLibpq },
    examples: [
      ["$0 parse 'host=db sslmode=verify_full'", "Shows libpq's error and a did-you-mean"],
      ["$0 parse --env-file .env --format json", "The interpretation as JSON"],
    ],
  },
  {
    name: "instances",
    describe:
      "Who is connected to SkillFlaw's database, plus pool sizing, connection slots, version, schema and cloud hints",
    positional: connstring,
    options: {
      ...connSource,
      ...output(FORMATS),
      timeout,
      deadline,
      offline,
      "url-style": urlStyle,
      client,
      libpq: clientLibpq,
      ...capacity,
    },
    examples: [
      ["$0 instances --env-file .env", "Clients of the database SKILLFLAW_DATABASE_URL names"],
      ["$0 instances --env-file .env --instances 3 --workers 4", "Do 3 × 4 pools fit max_connections?"],
    ],
  },
  {
    name: "certs",
    describe: "Offline checks of the CA, client certificate, key and CRL files",
    positional: undefined,
    options: {
      sslrootcert: { type: "string", describe: "CA file the client trusts", group: "Files:" },
      sslcert: { type: "string", describe: "Client certificate file", group: "Files:" },
      sslkey: { type: "string", describe: "Client key file", group: "Files:" },
      sslcrl: { type: "string", describe: "CRL file", group: "Files:" },
      sslcrldir: { type: "string", describe: "CRL directory (openssl rehash)", group: "Files:" },
      "server-cert": { type: "string", describe: "The server's chain as it sends it, leaf first", group: "Files:" },
      host: { type: "string", describe: "Host name to check the server certificate against", group: "Files:" },
      sslmode: {
        type: "string",
        default: "verify-full",
        describe: "Judge --server-cert under this sslmode",
        group: "Files:",
      },
      "warn-days": warnDays,
      user: {
        type: "string",
        describe: "Database user the client certificate's CN must match (pg_hba cert auth); default PGUSER",
        group: "Files:",
      },
      ...output(FORMATS),
      libpq,
    },
    examples: [
      ["$0 certs --sslrootcert ca.crt --sslcert client.crt --sslkey client.key", "Check client files"],
      ["$0 certs --server-cert chain.pem --host db.internal --sslrootcert ca.crt", "Would verify-full accept it?"],
    ],
  },
  {
    name: "server",
    describe: "Wire-level TLS probe of HOST[:PORT], like openssl s_client -starttls postgres but readable",
    positional: {
      name: "target",
      describe: "HOST[:PORT]",
      placeholder: "HOST[:PORT]",
      required: true,
      variadic: false,
    },
    options: {
      sslrootcert: { type: "string", describe: "CA file (or 'system') to judge the chain", group: "Server:" },
      sslcrl: { type: "string", describe: "CRL file, used with --sslrootcert", group: "Server:" },
      sslcrldir: { type: "string", describe: "CRL directory, used with --sslrootcert", group: "Server:" },
      servername: {
        type: "string",
        describe: "Host name for SNI and the name check, when HOST is an address (libpq's host vs hostaddr)",
        group: "Server:",
      },
      sslsni: { type: "string", choices: ["0", "1"], describe: "Send SNI (libpq's sslsni)", group: "Server:" },
      sslnegotiation: {
        choices: ["postgres", "direct"],
        describe: "The negotiation the client is configured with",
        group: "Server:",
      },
      "ssl-min-protocol-version": { type: "string", describe: "Client minimum TLS version", group: "Server:" },
      "ssl-max-protocol-version": { type: "string", describe: "Client maximum TLS version", group: "Server:" },
      "scan-versions": {
        type: "boolean",
        default: true,
        describe: "Try TLS 1.0 to 1.3 one by one",
        group: "Server:",
      },
      "warn-days": warnDays,
      "save-chain": saveChain,
      ...output(FORMATS),
      timeout,
      deadline,
      libpq,
    },
    examples: [
      ["$0 server db.internal:5432", "Protocols, chain and SSLRequest behaviour"],
      ["$0 server 10.0.0.5 --servername db.internal --sslrootcert ca.crt", "Judge the chain and the name"],
    ],
  },
  {
    name: "audit",
    describe: "Security review: every PostgreSQL connection setting in a tree of configuration files",
    positional: {
      name: "paths",
      describe: "Files and directories (recursive, honours .gitignore)",
      placeholder: "PATH...",
      required: true,
      variadic: true,
    },
    options: {
      include: {
        type: "string",
        array: true,
        nargs: 1,
        describe: "Only files matching this glob (repeatable)",
        group: "Audit:",
      },
      exclude: {
        type: "string",
        array: true,
        nargs: 1,
        describe: "Skip files and directories matching this glob (repeatable)",
        group: "Audit:",
      },
      ignore: {
        type: "boolean",
        default: true,
        describe:
          "Honour .gitignore: ignored files are listed as skipped; --no-ignore audits them too (a named path or --include always wins)",
        group: "Audit:",
      },
      live: {
        type: "boolean",
        default: false,
        describe: "Also probe the servers found (TLS only; never sends credentials)",
        group: "Audit:",
      },
      concurrency: { type: "number", default: 8, describe: "Servers probed at once with --live", group: "Audit:" },
      ...output(FORMATS),
      timeout,
      deadline,
      offline,
      "url-style": urlStyle,
      libpq,
    },
    examples: [
      ["$0 audit .", "Every setting in the repository"],
      ["$0 audit deploy/ --format sarif --output audit.sarif", "SARIF 2.1.0 for code scanning"],
      ["$0 audit . --exclude 'test/**' --fail-on warning", "CI gate"],
      ["$0 audit . --no-ignore", "Also the .gitignore'd files (the .env you deploy with)"],
    ],
  },
  {
    name: "exporter",
    describe: EXPORTER_DESCRIBE,
    positional: undefined,
    options: EXPORTER_OPTIONS,
    examples: [["$0 exporter --config exporter.yml", "Serve /probe and /metrics on 127.0.0.1:9432"]],
  },
];

/** Options every command has (yargs adds them). */
export const GLOBAL_OPTIONS: Readonly<Record<string, { alias: string; describe: string }>> = {
  help: { alias: "h", describe: "Show help" },
  version: { alias: "V", describe: "Show version number" },
};

export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** The commands that have an option, for "--offline is an option of check, instances and audit". */
export function commandsWithOption(option: string): CommandName[] {
  return COMMANDS.filter((c) => option in c.options).map((c) => c.name);
}

/** yargs' command string, e.g. "server <target>", "audit <paths..>". */
export function yargsCommand(spec: CommandSpec): string {
  const p = spec.positional;
  if (!p) return spec.name;
  const inner = `${p.name}${p.variadic ? ".." : ""}`;
  return `${spec.name} ${p.required ? `<${inner}>` : `[${inner}]`}`;
}

/** The usage line as users read it: required positionals in angle brackets. */
export function usageLine(spec: CommandSpec): string {
  const p = spec.positional;
  if (!p) return `$0 ${spec.name} [options]`;
  const shown = p.required ? p.placeholder : `[${p.placeholder}]`;
  return `$0 ${spec.name} ${shown} [options]`;
}
