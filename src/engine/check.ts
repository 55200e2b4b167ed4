// dbdoctor check: the full diagnosis. Resolve and conninfo (as parse), then the files, the server probe, the
// sslmode matrix and the operations stage (engine/live.ts), then one rules pass over all their facts (files,
// certificates, server, matrix, operations). With --offline the network stages say they were skipped.
import { SKILLFLAW_URL_VARIABLE } from "../conninfo/analyze.js";
import type { InputSource } from "../model/input.js";
import type { EngineOptions } from "../model/options.js";
import type { StageResult } from "../model/stage.js";
import { endpointLabel } from "../probe/label.js";
import type { ServerFacts } from "../probe/types.js";
import { makeReport } from "../report/build.js";
import type { Report } from "../report/report.js";
import type { Finding } from "../rules/registry.js";
import { dropSuperseded, familyOfCode, judge } from "../rules/registry.js";
import type { RunScope } from "../run/scope.js";
import { positiveInt } from "./instances.js";
import { runLiveStages } from "./live.js";
import { runConninfoStage } from "./parse.js";
import { saveChain, saveChainPath } from "./save-chain.js";
import { ruleSettings } from "./settings.js";

/**
 * The sslmode sentence, plus what else fails the run, so a FAIL never reads like good news. When the configured
 * mode fails, the probe's findings are the wire-level view of that same failure, not other errors: the server
 * family's, and the certificate findings about the chain an endpoint sent (the certs family judges it as a file's).
 */
function withOtherErrors(summary: string, findings: readonly Finding[], server: StageResult<ServerFacts>): string {
  const configuredFails = findings.some((f) => f.code === "session.configured-mode-fails");
  const endpoints = new Set(server.status === "completed" ? server.value.endpoints.map(endpointLabel) : []);
  const fromProbe = (f: Finding) =>
    familyOfCode(f.code) === "server" || (familyOfCode(f.code) === "certs" && endpoints.has(f.subject));
  const others = findings.filter(
    (f) => f.severity === "error" && f.code !== "session.configured-mode-fails" && !(configuredFails && fromProbe(f)),
  );
  if (others.length === 0) return summary;
  const codes = [...new Set(others.map((f) => f.code))].join(", ");
  return `${summary}; ${others.length} other error${others.length === 1 ? "" : "s"}: ${codes}`;
}

/** Whether SkillFlaw's rules apply: --app, else where the value came from (SkillFlaw's variable, an env file). */
export function appOf(args: Record<string, unknown>, source: InputSource): "skillflaw" | "libpq" {
  if (args.app === "skillflaw" || args.app === "libpq") return args.app;
  if (source.kind === "env-file") return "skillflaw";
  if (source.kind === "env" && source.variable.toUpperCase() === SKILLFLAW_URL_VARIABLE) return "skillflaw";
  return "libpq";
}

export async function runCheck(
  args: Record<string, unknown>,
  common: EngineOptions,
  scope: RunScope,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Report> {
  const settings = ruleSettings(args);
  const savePath = saveChainPath(args);
  const stage = runConninfoStage("check", args, common, env);
  const instances = positiveInt(args.instances, "--instances") ?? 1;
  const workers = positiveInt(args.workers, "--workers");
  const live = await runLiveStages(stage.analysis, stage.options, env, scope, {
    instances,
    ...(workers !== undefined ? { workers } : {}),
    fileVars: stage.resolved.fileVars,
    client: stage.client,
    source: stage.resolved.source,
  });
  const app = appOf(args, stage.resolved.source);
  const judged = judge(
    { command: "check", now: live.now, app, client: stage.client, ...stage.analysis.ruleFacts, ...live.judged },
    settings,
  );
  const findings = dropSuperseded(judged);
  const saved = savePath !== undefined ? saveChain(savePath, live.server) : undefined;
  const summary = live.summary ? withOtherErrors(live.summary, findings, live.server) : undefined;
  const line = [summary, saved].filter((x): x is string => x !== undefined).join("; ");
  return makeReport("check", {
    input: stage.input,
    conninfo: stage.analysis.facts,
    files: live.files,
    server: live.server,
    ops: live.ops,
    modes: live.modes,
    findings,
    timings: { ...stage.timings, ...live.timings },
    ...(line ? { summary: line } : {}),
  });
}
