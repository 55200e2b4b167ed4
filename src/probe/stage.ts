// The server stage of `check` and of `dbdoctor server`: the probe's facts plus the rules' findings.
import { errorMessage } from "../errors.js";
import type { StageResult } from "../model/stage.js";
import type { Finding } from "../rules/registry.js";
import { serverFindings } from "../rules/server.js";
import { deadlineMessage, RunScope } from "../run/scope.js";
import { type ProbeContext, probeServer } from "./probe.js";
import type { ServerFacts } from "./types.js";

export type { ProbeContext, ProbeOptions } from "./probe.js";

const SSL_REQUIRED_MODES = new Set(["require", "verify-ca", "verify-full"]);

export async function runServerStage(
  ctx: ProbeContext & { sslRequired?: boolean },
): Promise<{ result: StageResult<ServerFacts>; findings: Finding[] }> {
  const tcpHosts = ctx.hosts.filter((h) => h.kind !== "unix-socket");
  if (ctx.hosts.length === 0) return { result: { status: "skipped", reason: "no host to probe" }, findings: [] };
  if (tcpHosts.length === 0)
    return {
      result: { status: "skipped", reason: "only Unix-domain sockets: libpq ignores sslmode there, no TLS to probe" },
      findings: [],
    };
  // Without a run's scope (a test, a library caller), the stage owns its sockets itself.
  const own = ctx.scope ? null : new RunScope(ctx.options?.overallMs ?? 2 * ctx.timeoutMs);
  const scope = ctx.scope ?? (own as RunScope);
  try {
    const { cutByDeadline, ...facts } = await probeServer({ ...ctx, scope });
    if (cutByDeadline)
      return { result: { status: "error", reason: deadlineMessage(scope, "the server probe finished") }, findings: [] };
    const mode = ctx.effective.sslmode?.value;
    const sslRequired = ctx.sslRequired ?? (mode === undefined ? false : SSL_REQUIRED_MODES.has(mode));
    return {
      result: { status: "completed", value: facts },
      findings: serverFindings(
        facts,
        mode === undefined ? { now: ctx.now, sslRequired } : { now: ctx.now, sslRequired, sslmode: mode },
      ),
    };
  } catch (err) {
    // A bug in the probe must not pass for a healthy server: the stage says it could not run.
    return { result: { status: "error", reason: `the server probe failed: ${errorMessage(err)}` }, findings: [] };
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
