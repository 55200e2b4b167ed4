import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { resolveBinaries, selectBackend } from "./backends.js";
import { CLIENT_SCENARIOS } from "./client-scenarios.js";
import { serverIdentity } from "./osuser.js";
import { CERTS_DIR, certPath } from "./paths.js";
import { PGPOOL_SCENARIO, POOLER_SCENARIOS } from "./pooler-scenarios.js";
import { ROOT_AND_INTERMEDIATE, SCENARIOS } from "./scenarios.js";
import { startServer } from "./server.js";
import { ensureTemplate } from "./template.js";
import type { Backend, Lab, LabServer, Scenario } from "./types.js";

/** The major a backend runs, to skip scenarios it cannot host (direct SSL needs 17). */
async function backendMajor(backend: Backend): Promise<number> {
  if (backend === "docker") {
    const { labImage } = await import("./image.js");
    return (await labImage()).major;
  }
  return (await resolveBinaries(backend)).major;
}

/**
 * Every scenario the lab can start: SCENARIOS (the default set, judged by psql and dbdoctor's matrix) and
 * CLIENT_SCENARIOS (client-dependent outcomes, judged by the real clients), started only when named.
 */
export const ALL_SCENARIOS: Scenario[] = [...SCENARIOS, ...CLIENT_SCENARIOS];

/**
 * Scenarios with a pooler (PgBouncer) in front of a server: started only when named, judged by
 * test/integration/pooler-lab.test.ts (they need the pgbouncer package).
 */
const NAMED_ONLY: Scenario[] = [...ALL_SCENARIOS, ...POOLER_SCENARIOS, PGPOOL_SCENARIO];

export function pickScenarios(names?: string[]): Scenario[] {
  if (!names || names.length === 0) return SCENARIOS;
  const unknown = names.filter((n) => !NAMED_ONLY.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new Error(
      `unknown lab scenario ${unknown.join(", ")}; the scenarios are: ${NAMED_ONLY.map((s) => s.name).join(", ")}`,
    );
  }
  return NAMED_ONLY.filter((s) => names.includes(s.name));
}

/** Fresh certificates (H3's generator) and the files the scenarios derive from them. */
export async function preparePki(): Promise<void> {
  const { ensureCerts } = await import("../gen-certs.js");
  await ensureCerts(CERTS_DIR);
  const bundle = [
    await readFile(certPath("root-ca.crt"), "utf8"),
    await readFile(certPath("intermediate-ca.crt"), "utf8"),
  ];
  await mkdir(path.dirname(ROOT_AND_INTERMEDIATE), { recursive: true });
  await writeFile(ROOT_AND_INTERMEDIATE, bundle.map((p) => p.trimEnd()).join("\n") + "\n");
}

/**
 * Starts the named scenarios (all by default) in parallel. If one fails, the others are stopped
 * and the error names it; nothing is left running.
 */
export async function startLab(names?: string[], opts: { backend?: Backend } = {}): Promise<Lab> {
  const t0 = performance.now();
  const backend = selectBackend(opts.backend);
  const wanted = pickScenarios(names);
  await preparePki();
  const major = await backendMajor(backend);
  const runnable = wanted.filter((s) => (s.minMajor ?? 0) <= major);
  const skipped = wanted
    .filter((s) => (s.minMajor ?? 0) > major)
    .map((s) => ({ name: s.name, reason: `needs PostgreSQL ${s.minMajor}+, the ${backend} backend runs ${major}` }));
  if (backend !== "docker") {
    // One initdb before the parallel start, rather than one per server racing for the cache.
    await ensureTemplate(await resolveBinaries(backend), await serverIdentity());
  }
  // A scenario's companions (the other hosts of a multi-host string) start beside its server.
  const specs = runnable.flatMap((s) => [s.spec, ...(s.companions ?? [])]);
  const results = await Promise.allSettled(specs.map((spec) => startServer(spec, { backend })));
  const servers = new Map<string, LabServer>();
  const errors: string[] = [];
  for (const r of results) {
    if (r.status === "fulfilled") servers.set(r.value.name, r.value);
    else errors.push(r.reason instanceof Error ? r.reason.message : String(r.reason));
  }
  // Poolers start once their upstream runs (PgBouncer reads the upstream's SCRAM secrets for its auth_file).
  const poolers = errors.length === 0 ? runnable.flatMap((s) => s.poolers ?? []) : [];
  if (poolers.length > 0) {
    const { startPooler } = await import("./poolers.js");
    const started = await Promise.allSettled(poolers.map((p) => startPooler(p, servers)));
    for (const r of started) {
      if (r.status === "fulfilled") servers.set(r.value.name, r.value);
      else errors.push(r.reason instanceof Error ? r.reason.message : String(r.reason));
    }
  }
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    // Poolers first: they hold sessions on their upstream.
    const all = [...servers.values()];
    stopping ??= Promise.allSettled(all.filter((s) => s.pooler).map((s) => s.stop()))
      .then(() => Promise.allSettled(all.filter((s) => !s.pooler).map((s) => s.stop())))
      .then(() => undefined);
    return stopping;
  };
  if (errors.length > 0) {
    await stop();
    throw new Error(`the lab did not start:\n${errors.join("\n")}`);
  }
  return { servers, skipped, stop, startupMs: Math.round(performance.now() - t0) };
}
