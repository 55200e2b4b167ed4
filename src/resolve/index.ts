// The resolve stage: which connection string, from where. The positional argument wins; otherwise the variable is
// looked up in the --env-file files (python-dotenv with override=True, so a file beats the environment and a later
// file beats an earlier one), then in the process environment.

import type { InputSource } from "../model/input.js";
import type { ResolveOptions } from "../model/options.js";
import { type EnvFileEntry, parseDotenv } from "./dotenv.js";
import { readEnvFile } from "./read.js";

export type { EnvFileEntry } from "./dotenv.js";
export { parseDotenv } from "./dotenv.js";

export interface ResolvedProblem {
  file: string;
  line: number;
  message: string;
}

export interface ResolvedInput {
  /** The raw connection string (may hold secrets; never printed). */
  value: string | null;
  source: InputSource;
  /** Human descriptions of where we looked (for the exit-2 message). */
  lookedAt: string[];
  /** Every variable from the --env-file files (later file wins), for env rules. */
  fileVars: Record<string, EnvFileEntry>;
  /** The variable that was asked for (--var), even when a near miss was used instead. */
  variable?: string;
  /** Lines python-dotenv could not parse. */
  problems?: ResolvedProblem[];
  /** Keys without `=`: python-dotenv skips them. */
  bareKeys?: { key: string; file: string; line: number }[];
  /** PYTHON_DOTENV_DISABLED is set truthy: load_dotenv() does nothing, so SkillFlaw ignores the files. */
  dotenvDisabled?: string;
}

/** python-dotenv's _load_dotenv_disabled(). */
function dotenvDisabled(env: NodeJS.ProcessEnv): string | undefined {
  const v = env.PYTHON_DOTENV_DISABLED;
  return v !== undefined && ["1", "true", "t", "yes", "y"].includes(v.toLowerCase()) ? v : undefined;
}

/** Every --env-file, parsed in order; each file's `${VAR}` sees the environment as earlier files left it. */
export function loadEnvFiles(
  files: readonly string[],
  env: NodeJS.ProcessEnv,
): Pick<ResolvedInput, "fileVars" | "problems" | "bareKeys"> {
  const fileVars: Record<string, EnvFileEntry> = {};
  const problems: ResolvedProblem[] = [];
  const bareKeys: { key: string; file: string; line: number }[] = [];
  const seen: Record<string, string | undefined> = { ...env };
  for (const file of files) {
    const parsed = parseDotenv(readEnvFile(file), file, seen);
    for (const p of parsed.problems) problems.push({ file, ...p });
    for (const b of parsed.bareKeys) bareKeys.push({ file, ...b });
    for (const [k, entry] of Object.entries(parsed.vars)) {
      fileVars[k] = entry;
      seen[k] = entry.value;
    }
  }
  return { fileVars, problems, bareKeys };
}

interface Candidate {
  value: string;
  source: InputSource;
}

/** A variable SkillFlaw would not see under the asked-for name: a different case, or a BOM glued to the name. */
function nearMiss(
  variable: string,
  fileVars: Record<string, EnvFileEntry>,
  env: NodeJS.ProcessEnv,
): Candidate | undefined {
  const matches = (k: string) => k !== variable && k.replace(/^\ufeff/, "").toUpperCase() === variable.toUpperCase();
  const inFiles = Object.keys(fileVars).filter(matches).at(-1);
  if (inFiles !== undefined) {
    const e = fileVars[inFiles]!;
    return { value: e.value, source: { kind: "env-file", file: e.file, line: e.line, variable: inFiles } };
  }
  const inEnv = Object.keys(env)
    .filter(matches)
    .sort()
    .find((k) => env[k] !== undefined);
  if (inEnv !== undefined) return { value: env[inEnv]!, source: { kind: "env", variable: inEnv } };
  return undefined;
}

/**
 * Resolve the connection string. Throws UsageError (naming the file) for an unreadable or undecodable env file.
 * A missing or empty value is not an error here: the engine turns it into exit 2 with `lookedAt`.
 */
export function resolveInput(opts: ResolveOptions, env: NodeJS.ProcessEnv): ResolvedInput {
  const disabled = dotenvDisabled(env);
  const loaded = loadEnvFiles(opts.envFiles, env);
  // With PYTHON_DOTENV_DISABLED, load_dotenv() returns before reading: SkillFlaw sees none of the files' values.
  const effectiveFileVars = disabled ? {} : loaded.fileVars;
  const base: Omit<ResolvedInput, "value" | "source" | "lookedAt"> = {
    fileVars: effectiveFileVars,
    variable: opts.variable,
    problems: loaded.problems,
    bareKeys: loaded.bareKeys,
  };
  if (disabled !== undefined) base.dotenvDisabled = disabled;

  if (opts.connstring !== undefined) {
    return { ...base, value: opts.connstring, source: { kind: "argument" }, lookedAt: ["the command-line argument"] };
  }
  const lookedAt: string[] = [];
  const v = opts.variable;
  if (opts.envFiles.length > 0) {
    const names = opts.envFiles.join(", ");
    lookedAt.push(
      disabled
        ? `${v} in ${names} (not read: PYTHON_DOTENV_DISABLED=${disabled} makes python-dotenv skip them)`
        : `${v} in ${names}`,
    );
  }
  lookedAt.push(`${v} in the environment`);
  const entry = effectiveFileVars[v];
  if (entry !== undefined) {
    return {
      ...base,
      value: entry.value,
      source: { kind: "env-file", file: entry.file, line: entry.line, variable: v },
      lookedAt,
    };
  }
  const fromEnv = env[v];
  if (fromEnv !== undefined) return { ...base, value: fromEnv, source: { kind: "env", variable: v }, lookedAt };
  const near = nearMiss(v, effectiveFileVars, env);
  if (near !== undefined) return { ...base, ...near, lookedAt };
  return { ...base, value: null, source: { kind: "none" }, lookedAt };
}
