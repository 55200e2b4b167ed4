// dbdoctor check: the full diagnosis. Resolve and conninfo (as parse), then the files, the server probe and
// the sslmode matrix (engine/live.ts). With --offline the network stages say they were skipped.
import type { CommonOptions } from "../cli/options.js";
import { makeReport } from "../report/build.js";
import type { Report } from "../report/report.js";
import { runLiveStages } from "./live.js";
import { runConninfoStage } from "./parse.js";

export async function runCheck(
  args: Record<string, unknown>,
  common: CommonOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Report> {
  const stage = runConninfoStage(args, common, env);
  const live = await runLiveStages(stage.analysis, common, env);
  return makeReport("check", {
    input: stage.input,
    conninfo: stage.analysis.facts,
    files: live.files,
    server: live.server,
    modes: live.modes,
    findings: [...stage.analysis.findings, ...live.findings],
    timings: { ...stage.timings, ...live.timings },
    ...(live.summary ? { summary: live.summary } : {}),
  });
}
