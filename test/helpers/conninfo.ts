// The conninfo stage as the engine runs it for a test: read a string (as an argument, or as SkillFlaw's variable)
// with a controlled environment and file system, and judge the facts it returns with the real rules.
import { type AnalyzeContext, analyzeConninfo, type ConninfoAnalysis } from "../../src/conninfo/analyze.js";
import type { LibpqMajor } from "../../src/model/options.js";
import type { EnvFileEntry } from "../../src/resolve/dotenv.js";
import type { ResolvedInput } from "../../src/resolve/index.js";
import type { Facts } from "../../src/rules/facts.js";
import { type Finding, judge } from "../../src/rules/registry.js";

export const TEST_NOW = new Date("2026-06-01T00:00:00Z");

export function context(over: Partial<AnalyzeContext> = {}): AnalyzeContext {
  return {
    urlStyle: "auto",
    libpq: 17,
    env: {},
    home: null,
    cwd: "/",
    osUser: "u",
    fileExists: () => false,
    readFile: () => null,
    ...over,
  };
}

/** The string given as the command-line argument. */
export function argument(value: string, fileVars: Record<string, EnvFileEntry> = {}): ResolvedInput {
  return { value, source: { kind: "argument" }, lookedAt: [], fileVars };
}

/** The string as line 3 of .env under `variable` (SKILLFLAW_DATABASE_URL asked for). */
export function fromEnvFile(
  value: string,
  variable = "SKILLFLAW_DATABASE_URL",
  extra: Partial<ResolvedInput> = {},
): ResolvedInput {
  return {
    value,
    source: { kind: "env-file", file: ".env", line: 3, variable },
    lookedAt: [],
    fileVars: { [variable]: { value, file: ".env", line: 3 } },
    variable: "SKILLFLAW_DATABASE_URL",
    ...extra,
  };
}

/** The stage's rule facts for a string read as `style` would read it, for describeRule cases. */
export function stageFacts(input: ResolvedInput, ctx: Partial<AnalyzeContext> = {}): Partial<Facts> {
  return analyzeConninfo(input, context(ctx)).ruleFacts;
}

/**
 * The facts of a libpq connection string on a machine whose home is /home/app, with PG* variables and the files
 * that exist given: the setting the sslmode cases of the old fixture table used.
 */
export function libpqFacts(
  value: string,
  opts: { major?: LibpqMajor; env?: Record<string, string>; files?: readonly string[] } = {},
): Partial<Facts> {
  const files = new Set(opts.files ?? []);
  return stageFacts(argument(value), {
    urlStyle: "libpq",
    libpq: opts.major ?? 17,
    env: opts.env ?? {},
    home: "/home/app",
    osUser: "app",
    fileExists: (p) => files.has(p),
  });
}

/** Every finding of the rules over one analysis (what parse reports). */
export function judged(a: ConninfoAnalysis): Finding[] {
  return judge({ command: "parse", now: TEST_NOW, ...a.ruleFacts });
}
