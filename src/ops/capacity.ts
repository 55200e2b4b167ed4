// Connection-slot arithmetic (pure; whether the result is too much is judged in src/rules/ops/capacity.ts). Every SkillFlaw process has its own engine and pool, so the most connections
// a deployment opens is instances × workers × (pool_size + max_overflow). PostgreSQL gives ordinary roles
// max_connections minus the reserved slots; sessions of other users already hold some of those.
import type { CapacityFacts } from "./types.js";

export interface ServerSlots {
  maxConnections: number;
  superuserReserved: number;
  /** reserved_connections (16+); 0 on older servers. */
  reserved: number;
  /** Client backends now, our own session excluded. */
  inUse: number;
  /** Of inUse: same user, same database (SkillFlaw's own sessions, which its full pools would replace). */
  sameUserInUse: number;
}

export function computeCapacity(
  slots: ServerSlots,
  instances: number,
  workers: number,
  perProcess: number | null,
): CapacityFacts {
  const others = Math.max(0, slots.inUse - slots.sameUserInUse);
  const available = Math.max(0, slots.maxConnections - slots.superuserReserved - slots.reserved - others);
  const perInstance = perProcess === null ? null : workers * perProcess;
  const demand = perInstance === null ? null : instances * perInstance;
  return { ...slots, available, instances, workers, perProcess, perInstance, demand };
}
