// The server stage of `check`, `dbdoctor server` and `audit --live`: the probe's facts. src/rules/server judges the
// wire, src/rules/certs the chain.
import { errorMessage } from "../errors.js";
import type { StageResult } from "../model/stage.js";
import { deadlineMessage, RunScope } from "../run/scope.js";
import { type ProbeContext, probeServer } from "./probe.js";
import type { ServerFacts } from "./types.js";

export type { ProbeContext, ProbeOptions } from "./probe.js";

export async function runServerStage(ctx: ProbeContext): Promise<StageResult<ServerFacts>> {
  const tcpHosts = ctx.hosts.filter((h) => h.kind !== "unix-socket");
  if (ctx.hosts.length === 0) return { status: "skipped", reason: "no host to probe" };
  if (tcpHosts.length === 0)
    return { status: "skipped", reason: "only Unix-domain sockets: libpq ignores sslmode there, no TLS to probe" };
  // Without a run's scope (a test, a library caller), the stage owns its sockets itself.
  const own = ctx.scope ? null : new RunScope(ctx.options?.overallMs ?? 2 * ctx.timeoutMs);
  const scope = ctx.scope ?? (own as RunScope);
  try {
    const { cutByDeadline, ...facts } = await probeServer({ ...ctx, scope });
    // Cut by the run's deadline: the stage could not run, never a pass.
    if (cutByDeadline) return { status: "error", reason: deadlineMessage(scope, "the server probe finished") };
    return { status: "completed", value: facts };
  } catch (err) {
    // A bug in the probe must not pass for a healthy server: the stage says it could not run.
    return { status: "error", reason: `the server probe failed: ${errorMessage(err)}` };
  } finally {
    if (own) {
      await own.drain();
      own.close();
    }
  }
}

export { connectTcp } from "./net.js";
export { sslRequest } from "./sslrequest.js";
export { tlsHandshake } from "./tls.js";
