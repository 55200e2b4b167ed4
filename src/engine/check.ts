// dbdoctor check. Only --offline is built: the resolve and conninfo stages of parse; the file checks, the server
// probe and the sslmode attempts are not built yet, and check says so instead of pretending.
import type { CommonOptions } from "../cli/options.js";
import { UsageError } from "../errors.js";
import { makeReport } from "../report/build.js";
import type { Report } from "../report/report.js";
import { runConninfoStage } from "./parse.js";

export async function runCheck(args: Record<string, unknown>, common: CommonOptions): Promise<Report> {
  if (!common.offline) {
    throw new UsageError(
      "dbdoctor check is not built yet beyond --offline (no server probe or sslmode attempts)",
      "Run dbdoctor check --offline for the connection-string checks, or dbdoctor parse.",
    );
  }
  const stage = runConninfoStage(args, common);
  return makeReport("check", {
    input: stage.input,
    conninfo: stage.analysis.facts,
    files: { status: "skipped", reason: "the file checks are not built yet" },
    server: { status: "skipped", reason: "--offline: no network" },
    modes: [],
    findings: stage.analysis.findings,
    timings: stage.timings,
  });
}
