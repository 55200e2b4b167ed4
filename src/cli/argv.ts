// The command line checked before yargs parses it, so that every mistake gets one clear usage error:
//   - the command, or "unknown command" with the closest name, or the list of commands when none is given;
//   - each unknown option once, as typed (yargs lists `env-flie, envFlie`), with a did-you-mean or the commands
//     it belongs to (`certs --offline`);
//   - positionals beyond what the command takes;
//   - a required positional that is missing, named as the usage line names it (HOST[:PORT], PATH...);
//   - `--` ends the options: what follows is positional even when it starts with "-". yargs 17 fills positionals
//     before it copies the arguments after `--`, and so dropped them (`parse -- 'host=x'`). yargs gets a
//     placeholder in their place, one it parses as a positional, and the command gets the real value back
//     (restoreDashDash).
import { UsageError } from "../errors.js";
import { COMMAND_NAMES, COMMANDS, type CommandSpec, commandSpec, commandsWithOption, GLOBAL_OPTIONS } from "./spec.js";
import { closest } from "./suggest.js";

export interface CheckedArgv {
  /** undefined: no command, and --help or --version was asked for (yargs answers). */
  command: CommandSpec | undefined;
  /** The arguments for yargs: everything before `--`, then a placeholder for each argument after it. */
  forYargs: string[];
  /** Positionals that followed `--`, in order. */
  afterDashDash: string[];
}

// NUL cannot occur in a real argument (execve strings end at NUL), so a placeholder never meets a user's value.
const PLACEHOLDER = "\u0000dbdoctor-after-dashdash-";

/** A parsed positional with the placeholders for arguments after `--` replaced by those arguments. */
export function restoreDashDash(value: unknown, afterDashDash: readonly string[]): unknown {
  const restore = (v: unknown): unknown =>
    typeof v === "string" && v.startsWith(PLACEHOLDER) ? afterDashDash[Number(v.slice(PLACEHOLDER.length))] : v;
  return Array.isArray(value) ? value.map(restore) : restore(value);
}

const camel = (s: string): string => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

interface Known {
  /** Every accepted spelling (kebab, camelCase, --no-x for booleans) -> canonical kebab name. */
  names: Map<string, string>;
  booleans: Set<string>;
}

/** The spellings the command accepts; with no command yet, those of every command. */
function known(spec: CommandSpec | undefined): Known {
  const names = new Map<string, string>();
  const booleans = new Set<string>(Object.keys(GLOBAL_OPTIONS));
  for (const [name, { alias }] of Object.entries(GLOBAL_OPTIONS)) {
    names.set(name, name);
    names.set(alias, name);
  }
  for (const c of spec ? [spec] : COMMANDS)
    for (const [name, o] of Object.entries(c.options)) {
      names.set(name, name);
      names.set(camel(name), name);
      if (o.type === "boolean") {
        booleans.add(name);
        names.set(`no-${name}`, name);
        names.set(camel(`no-${name}`), name);
      }
    }
  return { names, booleans };
}

/** Options that take a value in some command: before the command is known, their value is not the command. */
const VALUE_OPTIONS = new Set(
  COMMANDS.flatMap((c) => Object.entries(c.options).flatMap(([n, o]) => (o.type === "boolean" ? [] : [n, camel(n)]))),
);

interface Token {
  kind: "option" | "positional";
  /** For options: the name without dashes and without "=value". */
  name: string;
  text: string;
}

/** Splits argv (before `--`) into options and positionals; `takesValue` says whether an option eats the next word. */
function tokenize(args: readonly string[], takesValue: (name: string) => boolean): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < args.length; i++) {
    const text = args[i] as string;
    // "-" (standard input) and negative numbers are values, not options.
    if (!text.startsWith("-") || text === "-" || /^-\d/.test(text)) {
      out.push({ kind: "positional", name: "", text });
      continue;
    }
    const body = text.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const name = eq >= 0 ? body.slice(0, eq) : body;
    out.push({ kind: "option", name, text });
    if (eq >= 0) continue;
    const next = args[i + 1];
    if (next === undefined) {
      if (takesValue(name) && name !== "" && !["help", "h", "version", "V"].includes(name))
        throw new UsageError(`${text} needs a value`, `Write ${text} VALUE or ${text}=VALUE.`);
      continue;
    }
    // A boolean takes an explicit true/false after it, as yargs-parser does.
    if (takesValue(name) || next === "true" || next === "false") i++;
  }
  return out;
}

function list(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

export function commandList(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.describe}`).join("\n");
}

function unknownCommand(word: string): UsageError {
  if (word.includes("://") || word.includes("=")) {
    return new UsageError(
      `"${word}" is not a command`,
      `A connection string goes after a command: dbdoctor check CONNSTRING (or parse, instances).`,
    );
  }
  const guess = closest(word, COMMAND_NAMES);
  return new UsageError(
    `unknown command "${word}"`,
    `${guess ? `Did you mean ${guess}? ` : ""}The commands are ${list([...COMMAND_NAMES])}; dbdoctor --help describes them.`,
  );
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The commands that take an option typed in any accepted spelling (camelCase, --no-x). */
function ownersOf(name: string): string[] {
  const forms = [name, kebab(name)];
  for (const f of [...forms]) if (f.startsWith("no-")) forms.push(f.slice(3));
  for (const form of forms) {
    const owners = commandsWithOption(form);
    if (owners.length > 0) return owners;
  }
  return [];
}

function unknownOptions(spec: CommandSpec | undefined, typed: readonly Token[]): UsageError {
  const where = spec ? `dbdoctor ${spec.name}` : "dbdoctor";
  const helpHint = `${where} --help lists its options.`;
  const candidates = [
    ...Object.keys(GLOBAL_OPTIONS),
    ...Object.entries(spec?.options ?? {}).flatMap(([n, o]) => (o.type === "boolean" ? [n, `no-${n}`] : [n])),
  ];
  const described = typed.map((t) => {
    const shown = `${t.text.startsWith("--") ? "--" : "-"}${t.name}`;
    const owners = spec ? ownersOf(t.name) : [];
    if (owners.length > 0) return { shown, owners, guess: undefined };
    const guess = t.name.length > 1 ? closest(t.name, candidates) : undefined;
    return { shown, owners, guess };
  });
  if (described.length === 1) {
    const only = described[0] as (typeof described)[number];
    if (only.owners.length > 0)
      return new UsageError(
        `${only.shown} is not an option of ${where}`,
        `It applies to ${list(only.owners)}. ${helpHint}`,
      );
    return new UsageError(
      `unknown option ${only.shown} for ${where}`,
      only.guess ? `Did you mean --${only.guess}? ${helpHint}` : helpHint,
    );
  }
  const parts = described.map((d) =>
    d.owners.length > 0
      ? `${d.shown} (an option of ${list(d.owners)})`
      : d.guess
        ? `${d.shown} (did you mean --${d.guess}?)`
        : d.shown,
  );
  return new UsageError(`unknown options for ${where}: ${parts.join(", ")}`, helpHint);
}

function tooManyPositionals(spec: CommandSpec, extra: string): UsageError {
  const p = spec.positional;
  let hint: string;
  if (!p) hint = `dbdoctor ${spec.name} takes no positional argument; dbdoctor ${spec.name} --help lists its options.`;
  else if (p.name === "connstring")
    hint = "dbdoctor takes one connection string: quote it when it holds spaces, e.g. 'host=db sslmode=verify-full'.";
  else hint = `dbdoctor ${spec.name} takes one ${p.placeholder}.`;
  return new UsageError(`unexpected argument "${extra}" for dbdoctor ${spec.name}`, hint);
}

/** Checks argv against the command table; throws the usage error a user should see. */
export function checkArgv(argv: readonly string[]): CheckedArgv {
  const dash = argv.indexOf("--");
  const before = dash >= 0 ? argv.slice(0, dash) : [...argv];
  const afterDashDash = dash >= 0 ? argv.slice(dash + 1) : [];

  // Find the command: the first positional, where options before it are read as any command would read them.
  const early = tokenize(before, (name) => VALUE_OPTIONS.has(name));
  const first = early.find((t) => t.kind === "positional");
  let spec: CommandSpec | undefined;
  if (first !== undefined) {
    spec = commandSpec(first.text);
    if (spec === undefined) throw unknownCommand(first.text);
  } else if (dash >= 0 && afterDashDash.length > 0) {
    throw unknownCommand(afterDashDash[0] as string);
  }

  const k = known(spec);
  const tokens = tokenize(before, (name) => {
    const canonical = k.names.get(name);
    return canonical !== undefined ? !k.booleans.has(canonical) : VALUE_OPTIONS.has(name);
  });
  const unknown = new Map<string, Token>();
  for (const t of tokens)
    if (t.kind === "option" && !k.names.has(t.name) && !unknown.has(t.name)) unknown.set(t.name, t);
  if (unknown.size > 0) throw unknownOptions(spec, [...unknown.values()]);

  const asksHelp = tokens.some(
    (t) => t.kind === "option" && (k.names.get(t.name) === "help" || k.names.get(t.name) === "version"),
  );
  if (spec === undefined) {
    if (asksHelp) return { command: undefined, forYargs: before, afterDashDash: [] };
    throw new UsageError(
      `no command given. The commands are:\n${commandList()}`,
      "dbdoctor COMMAND --help shows a command's options.",
    );
  }

  const positionals = [
    ...tokens
      .filter((t) => t.kind === "positional")
      .slice(1)
      .map((t) => t.text),
    ...afterDashDash,
  ];
  const p = spec.positional;
  const max = p === undefined ? 0 : p.variadic ? Number.POSITIVE_INFINITY : 1;
  if (!asksHelp) {
    if (positionals.length > max) throw tooManyPositionals(spec, positionals[max] as string);
    if (p?.required && positionals.length === 0)
      throw new UsageError(
        `dbdoctor ${spec.name} needs ${p.placeholder}`,
        `e.g. ${(spec.examples[0]?.[0] ?? "").replace("$0", "dbdoctor")}`,
      );
  }
  return { command: spec, forYargs: [...before, ...afterDashDash.map((_, i) => `${PLACEHOLDER}${i}`)], afterDashDash };
}
