// The poolers a scenario puts in front of its servers, by kind.
import { startPgbouncer } from "./pgbouncer.js";
import { startPgpool } from "./pgpool.js";
import type { LabServer, PoolerSpec } from "./types.js";

export async function startPooler(spec: PoolerSpec, servers: ReadonlyMap<string, LabServer>): Promise<LabServer> {
  const upstream = servers.get(spec.upstream);
  if (!upstream) throw new Error(`pooler ${spec.name}: its upstream ${spec.upstream} is not running`);
  switch (spec.kind) {
    case "pgbouncer":
      return startPgbouncer(spec, upstream);
    case "pgpool":
      return startPgpool(spec, upstream);
  }
}
