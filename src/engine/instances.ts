// dbdoctor instances: who is connected to SkillFlaw's database (grouped pg_stat_activity with pg_stat_ssl), plus the
// operations checks (pool settings, connection slots, server version, schema, cloud provider). One session, opened
// as libpq would under the configured sslmode, with the privileges of SkillFlaw's own user.
import { homedir } from "node:os";
import { UsageError } from "../errors.js";
import type { EngineOptions } from "../model/options.js";
import { runOpsStage } from "../ops/stage.js";
import { configuredMode, makeReport } from "../report/build.js";
import type { Report } from "../report/report.js";
import { judge } from "../rules/registry.js";
import type { RunScope } from "../run/scope.js";
import { runConninfoStage } from "./parse.js";

/** A positive integer option, or undefined when absent; anything else is a usage error naming the option. */
export function positiveInt(value: unknown, option: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === "number" ? value : Number(String(value));
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(
      `${option} ${String(value)} is not a positive integer`,
      `Give ${option} a whole number, e.g. ${option} 2.`,
    );
  }
  return n;
}

export async function runInstances(
  args: Record<string, unknown>,
  common: EngineOptions,
  scope: RunScope,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Report> {
  const instances = positiveInt(args.instances, "--instances") ?? 1;
  const workers = positiveInt(args.workers, "--workers");
  const stage = runConninfoStage("instances", args, common, env);
  const facts = stage.analysis.facts;
  const t0 = performance.now();
  const firstError = facts.errors[0]?.message;
  const ops = await runOpsStage({
    values: stage.analysis.values,
    hosts: facts.hosts,
    configuredMode: configuredMode({ conninfo: facts }),
    fileVars: stage.resolved.fileVars,
    env,
    home: env.HOME ?? homedir(),
    major: stage.client.libpq,
    timeoutMs: common.timeoutMs,
    instances,
    ...(workers !== undefined ? { workers } : {}),
    offline: common.offline,
    listClients: true,
    authProbe: common.authProbe,
    scope,
    ...(facts.valid ? {} : { liveBlocked: `libpq would refuse these parameters: ${firstError ?? "invalid"}` }),
  });
  const notRun = { status: "skipped", reason: "dbdoctor instances does not run the file checks or the probe" } as const;
  return makeReport("instances", {
    input: stage.input,
    conninfo: facts,
    files: notRun,
    server: notRun,
    modes: [],
    findings: judge({
      command: "instances",
      now: new Date(),
      client: stage.client,
      ...stage.analysis.ruleFacts,
      ...(ops.status === "completed" ? { ops: ops.value } : {}),
    }),
    ops,
    timings: { ...stage.timings, ops: Math.round(performance.now() - t0) },
  });
}
