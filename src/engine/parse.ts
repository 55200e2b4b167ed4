// dbdoctor parse: the resolve and conninfo stages only (no files, no network). check --offline reuses them.
import { existsSync, statSync } from "node:fs";
import { homedir, userInfo } from "node:os";
import { type AnalyzeContext, analyzeConninfo, type ConninfoAnalysis } from "../conninfo/analyze.js";
import { UsageError } from "../errors.js";
import { READ_CAPS, readTextOrNull } from "../io/read.js";
import type { ClientProfile } from "../model/client.js";
import type { CommandName } from "../model/command.js";
import type { InputFacts } from "../model/input.js";
import type { EngineOptions, ResolveOptions } from "../model/options.js";
import { makeReport } from "../report/build.js";
import type { Report } from "../report/report.js";
import { resolveFacts } from "../resolve/facts.js";
import { type ResolvedInput, resolveInput } from "../resolve/index.js";
import { judge } from "../rules/registry.js";
import { registerSecret } from "../secrets.js";
import { chooseClient } from "./client.js";

export function resolveOptionsFrom(args: Record<string, unknown>): ResolveOptions {
  const files = args.envFile ?? args["env-file"] ?? [];
  return {
    connstring: typeof args.connstring === "string" ? args.connstring : undefined,
    envFiles: (Array.isArray(files) ? files : [files]).map(String),
    variable: typeof args.var === "string" && args.var !== "" ? args.var : "SKILLFLAW_DATABASE_URL",
  };
}

/** The real machine: files, permissions, the user and home directory libpq would use. */
export function systemContext(common: EngineOptions, env: NodeJS.ProcessEnv): AnalyzeContext {
  let osUser: string | null = null;
  try {
    osUser = userInfo().username;
  } catch {
    osUser = null;
  }
  return {
    urlStyle: common.urlStyle,
    libpq: common.libpq,
    env,
    home: env.HOME ?? homedir(),
    cwd: process.cwd(),
    osUser,
    fileExists: (p) => existsSync(p),
    // The service and password files: capped and non-blocking (PGSERVICEFILE=/dev/zero or a FIFO reads as absent).
    readFile: (p) => readTextOrNull(p, READ_CAPS.config),
    statFile: (p) => {
      try {
        const s = statSync(p);
        return { isFile: s.isFile(), mode: s.mode & 0o7777 };
      } catch {
        return null;
      }
    },
  };
}

/**
 * Exit 2 when there is nothing to diagnose (DESIGN.md): SkillFlaw itself would silently fall back to SQLite. The
 * input rule says why and where dbdoctor looked; its finding becomes the usage error.
 */
function requireValue(command: CommandName, resolved: ResolvedInput): void {
  const input = resolveFacts(resolved);
  if (input.value === "present") return;
  const stop = judge({ command, now: new Date(), input }).find((f) => f.code === "input.no-connection-string");
  if (stop === undefined) throw new Error(`no connection string (${input.value}), and the input rule said nothing`);
  throw new UsageError(stop.message, stop.hint);
}

export interface ConninfoStage {
  resolved: ResolvedInput;
  /** The client the run predicts for; the later stages model its libpq major (`options`). */
  client: ClientProfile;
  /** The engine options with `libpq` set to the client's major. */
  options: EngineOptions;
  analysis: ConninfoAnalysis;
  input: InputFacts;
  timings: Record<string, number>;
}

/** Resolve + conninfo, with every secret registered for output scrubbing. */
export function runConninfoStage(
  command: CommandName,
  args: Record<string, unknown>,
  common: EngineOptions,
  env: NodeJS.ProcessEnv = process.env,
  context?: AnalyzeContext,
): ConninfoStage {
  const t0 = performance.now();
  const opts = resolveOptionsFrom(args);
  const resolved = resolveInput(opts, env);
  requireValue(command, resolved);
  // The client decides which libpq's rules read the string, so it is chosen before the conninfo stage.
  const client = chooseClient(common.client, resolved.source, env);
  const options: EngineOptions = { ...common, libpq: client.libpq };
  const ctx = context ?? systemContext(options, env);
  const t1 = performance.now();
  const analysis = analyzeConninfo(resolved, ctx);
  for (const s of analysis.secrets) registerSecret(s);
  const t2 = performance.now();
  return {
    resolved,
    client,
    options,
    analysis,
    input: {
      source: resolved.source,
      redacted: analysis.redacted,
      urlStyle: analysis.urlStyle,
      libpqMajor: client.libpq,
      client,
    },
    timings: { resolve: Math.round(t1 - t0), conninfo: Math.round(t2 - t1) },
  };
}

export async function runParse(
  args: Record<string, unknown>,
  common: EngineOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Report> {
  const stage = runConninfoStage("parse", args, common, env);
  const skipped = { status: "skipped", reason: "parse does not read files or the network" } as const;
  return makeReport("parse", {
    input: stage.input,
    conninfo: stage.analysis.facts,
    files: skipped,
    server: skipped,
    modes: [],
    findings: judge({ command: "parse", now: new Date(), client: stage.client, ...stage.analysis.ruleFacts }),
    timings: stage.timings,
  });
}
