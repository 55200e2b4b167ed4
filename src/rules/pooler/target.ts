// The pooler every rule of this family (and the server-side rules of other families) asks about: the one the signs
// showed with at least "likely" confidence. One weak sign (a port that differs: also a NAT or a container's port
// mapping) is reported, but changes no other claim.
import type { PoolerFacts } from "../../ops/pooler-types.js";
import type { Facts } from "../facts.js";

export function detectedPooler(facts: Facts): PoolerFacts | undefined {
  const p = facts.ops?.pooler;
  return p && p.confidence !== "possible" ? p : undefined;
}

/** Where the pooler's own settings live, for hints. */
export function settingsFile(p: PoolerFacts): string {
  if (p.kind === "pgbouncer") return "pgbouncer.ini";
  if (p.kind === "pgpool") return "pgpool.conf";
  return `${p.name}'s settings`;
}
