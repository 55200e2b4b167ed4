// The poolers a scenario puts in front of its servers, by kind (only PgBouncer so far; pgpool-II see pooler-scenarios.ts).
import { startPgbouncer } from "./pgbouncer.js";
import type { LabServer, PoolerSpec } from "./types.js";

export async function startPooler(spec: PoolerSpec, servers: ReadonlyMap<string, LabServer>): Promise<LabServer> {
  const upstream = servers.get(spec.upstream);
  if (!upstream) throw new Error(`pooler ${spec.name}: its upstream ${spec.upstream} is not running`);
  switch (spec.kind) {
    case "pgbouncer":
      return startPgbouncer(spec, upstream);
  }
}
