// The server stage of `check`, `dbdoctor server` and `audit --live`: the probe's facts. src/rules/server judges the
// wire, src/rules/certs the chain.
import { errorMessage } from "../errors.js";
import type { StageResult } from "../model/stage.js";
import { type ProbeContext, probeServer } from "./probe.js";
import type { ServerFacts } from "./types.js";

export type { ProbeContext, ProbeOptions } from "./probe.js";

export async function runServerStage(ctx: ProbeContext): Promise<StageResult<ServerFacts>> {
  const tcpHosts = ctx.hosts.filter((h) => h.kind !== "unix-socket");
  if (ctx.hosts.length === 0) return { status: "skipped", reason: "no host to probe" };
  if (tcpHosts.length === 0)
    return { status: "skipped", reason: "only Unix-domain sockets: libpq ignores sslmode there, no TLS to probe" };
  try {
    return { status: "completed", value: await probeServer(ctx) };
  } catch (err) {
    // A bug in the probe must not pass for a healthy server: the stage says it could not run.
    return { status: "error", reason: `the server probe failed: ${errorMessage(err)}` };
  }
}

export { connectTcp } from "./net.js";
export { sslRequest } from "./sslrequest.js";
export { tlsHandshake } from "./tls.js";
