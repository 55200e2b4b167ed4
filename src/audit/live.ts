// audit --live: the wire-level probe (DNS, TCP, SSLRequest, TLS handshake, chain and name judgments) of every
// server the settings name. It never authenticates, so no credential leaves the machine (the credential policy
// holds trivially). Identical probes (same host:port and the same TLS settings) run once; at most `concurrency`
// run at a time.
import type { EffectiveParam, HostEntry } from "../conninfo/types.js";
import type { LibpqMajor } from "../model/options.js";
import type { ProbedServer } from "../probe/types.js";
import { mapLimit } from "../run/limit.js";
import type { RunScope } from "../run/scope.js";
import type { ProbeTarget } from "./pipeline.js";
import type { AuditServer } from "./types.js";

/** Parameters that change what the probe sees or how it judges it. */
const PROBE_PARAMS = [
  "sslmode",
  "sslrootcert",
  "sslcrl",
  "sslcrldir",
  "sslnegotiation",
  "sslsni",
  "ssl_min_protocol_version",
  "ssl_max_protocol_version",
] as const;

export interface LiveOptions {
  concurrency: number;
  timeoutMs: number;
  libpq: LibpqMajor;
  now: Date;
  /** The modelled client's OpenSSL security level, for the chain verdict (the certificate rules' choice). */
  securityLevel: number;
  /** The run's deadline owner: every probe's sockets belong to it. */
  scope: RunScope;
  /** Called before the first probe and after each one (done, total), for a progress bar (src/cli draws it). */
  progress?: (done: number, total: number) => void;
}

interface Job {
  host: HostEntry;
  effective: Record<string, EffectiveParam>;
  settings: number[];
}

export function planProbes(targets: ReadonlyMap<number, ProbeTarget>): Job[] {
  const jobs = new Map<string, Job>();
  for (const [id, t] of targets) {
    for (const h of t.hosts) {
      if (h.kind === "unix-socket") continue;
      const params = PROBE_PARAMS.map((k) => t.effective[k]?.value ?? "");
      const key = JSON.stringify([h.host, h.hostaddr ?? "", h.port || "5432", ...params]);
      const job = jobs.get(key);
      if (job) {
        if (!job.settings.includes(id)) job.settings.push(id);
      } else {
        const effective: Record<string, EffectiveParam> = {};
        for (const k of PROBE_PARAMS) if (t.effective[k]) effective[k] = t.effective[k] as EffectiveParam;
        jobs.set(key, { host: h, effective, settings: [id] });
      }
    }
  }
  return [...jobs.values()];
}

export { mapLimit } from "../run/limit.js";

export async function probeServers(
  targets: ReadonlyMap<number, ProbeTarget>,
  o: LiveOptions,
): Promise<{ servers: AuditServer[]; probed: Map<number, ProbedServer[]> }> {
  const { runServerStage } = await import("../probe/stage.js");
  const jobs = planProbes(targets);
  let done = 0;
  o.progress?.(0, jobs.length);
  const results = await mapLimit(jobs, o.concurrency, async (job) => {
    const r = await runServerStage({
      timeoutMs: o.timeoutMs,
      libpq: o.libpq,
      now: o.now,
      securityLevel: o.securityLevel,
      effective: job.effective,
      hosts: [job.host],
      scope: o.scope,
    });
    o.progress?.(++done, jobs.length);
    return r;
  });
  const servers: AuditServer[] = [];
  // What each setting's probes found, with the sslmode they are judged under, for the engine's rules pass.
  const probed = new Map<number, ProbedServer[]>();
  for (const [i, job] of jobs.entries()) {
    const r = results[i];
    if (!r) continue;
    const server: AuditServer = {
      host: job.host.host,
      port: Number(job.host.port || 5432),
      settings: job.settings,
      result: r,
    };
    if (job.host.hostaddr) server.hostaddr = job.host.hostaddr;
    servers.push(server);
    if (r.status !== "completed") continue;
    const sslmode = job.effective.sslmode?.value;
    const facts: ProbedServer = { facts: r.value, ...(sslmode !== undefined ? { sslmode } : {}) };
    for (const id of job.settings) probed.set(id, [...(probed.get(id) ?? []), facts]);
  }
  return { servers, probed };
}
