// Do SkillFlaw's pools fit the server's free connection slots? Every process has its own engine and pool, so a
// deployment opens up to instances × workers × (pool_size + max_overflow); PostgreSQL refuses the rest with "sorry,
// too many clients already" (postmaster.c, canAcceptConnections) or "remaining connection slots are reserved ...".
import type { Severity } from "../../model/finding.js";
import type { CapacityFacts } from "../../ops/types.js";
import { detectedPooler } from "../pooler/target.js";
import { defineRule } from "../rule.js";
import { skillflawOps } from "./target.js";

export type CapacityVerdict = "exceeded" | "warning" | "ok" | "unknown";

/** exceeded when one instance alone can fill more than the free slots; warning when all instances together can. */
export function capacityVerdict(c: CapacityFacts): CapacityVerdict {
  if (c.perInstance === null || c.demand === null) return "unknown";
  if (c.perInstance > c.available) return "exceeded";
  if (c.demand > c.available) return "warning";
  return "ok";
}

function formula(c: CapacityFacts): string {
  return `${c.instances} instance${c.instances === 1 ? "" : "s"} × ${c.workers} worker${c.workers === 1 ? "" : "s"} × ${c.perProcess} (pool_size + max_overflow) = ${c.demand}`;
}

function slotsText(c: CapacityFacts): string {
  const reserved = c.reserved > 0 ? ` - reserved_connections ${c.reserved}` : "";
  const others = c.inUse - c.sameUserInUse;
  return `max_connections ${c.maxConnections} - superuser_reserved_connections ${c.superuserReserved}${reserved} - ${others} session${others === 1 ? "" : "s"} of other users = ${c.available} available`;
}

/** The largest pool_size + max_overflow per process that lets every process of every instance fit. */
function fitPerProcess(c: CapacityFacts): number {
  return Math.max(0, Math.floor(c.available / Math.max(1, c.workers * c.instances)));
}

export default defineRule({
  id: "ops/capacity",
  family: "ops",
  codes: {
    "ops.capacity-exceeded": {
      severity: "warning",
      title: "One SkillFlaw instance's pools exceed the free connection slots",
      description:
        'workers × (pool_size + max_overflow) of a single instance is more than the server has left for SkillFlaw (max_connections minus reserved slots minus the sessions of other users). Under load PostgreSQL refuses further connections with "sorry, too many clients already" or "remaining connection slots are reserved ...". A warning while the server accepts connections; an error when it refuses them now.',
      hint: "Lower pool_size/max_overflow or the worker count, raise max_connections, or put PgBouncer in front.",
    },
    "ops.capacity-warning": {
      severity: "warning",
      title: "All SkillFlaw instances together can exceed the free connection slots",
      description:
        'instances × workers × (pool_size + max_overflow) is more than the slots the server has left. Each process has its own engine and pool, so the pools add up; at peak load the last connections fail with "sorry, too many clients already".',
      hint: "Size the pools so the sum fits: instances × workers × (pool_size + max_overflow) ≤ available slots.",
    },
    "ops.capacity-unknown": {
      severity: "info",
      title: "Capacity not comparable",
      description:
        "The pool has no upper bound (NullPool, max_overflow -1) or its size is unknown, so the connections SkillFlaw may open cannot be compared with the server's slots.",
      hint: "Give the pool a finite pool_size and max_overflow.",
    },
  },
  options: {
    capacityExceededSeverity: {
      default: "warning" as Severity,
      description:
        "Severity of ops.capacity-exceeded while the server accepts connections: one instance's pools can ask for more connections than the server has free, a risk under load, not a refused connection now. It is an error whenever an attempt of this run was refused for too many connections.",
    },
  },
  check(facts, { options, report }) {
    const ops = skillflawOps(facts);
    if (ops?.live.status !== "completed" || ops.live.value.capacity.status !== "completed") return;
    // Behind a pooler the server's slots bound the pooler's own pools, not SkillFlaw's: pooler/capacity judges those.
    if (detectedPooler(facts)) return;
    const c = ops.live.value.capacity.value;
    // The server refuses connections now ("sorry, too many clients already" in an attempt of this run).
    const refusingNow = facts.modes?.results.some((m) => m.code === "too-many-connections") === true;
    const s = ops.live.value.session;
    const subject = `${s.host}:${s.port}`;
    const evidence = {
      maxConnections: c.maxConnections,
      superuserReserved: c.superuserReserved,
      reserved: c.reserved,
      inUse: c.inUse,
      sameUserInUse: c.sameUserInUse,
      available: c.available,
      demand: c.demand,
    };
    switch (capacityVerdict(c)) {
      case "unknown":
        report(
          "ops.capacity-unknown",
          subject,
          `The connections SkillFlaw may open cannot be compared with the server's ${c.available} available slots: ${ops.pool.perProcessNote ?? "the pool size is unknown"}.`,
          { evidence },
        );
        break;
      case "exceeded":
        report(
          "ops.capacity-exceeded",
          subject,
          `One instance alone can open ${c.workers} × ${c.perProcess} = ${c.perInstance ?? 0} connections, but the server has ${slotsText(c)}: under load SkillFlaw gets "sorry, too many clients already" (or "remaining connection slots are reserved ...").`,
          {
            hint: `Keep pool_size + max_overflow at or below ${fitPerProcess(c)} per process (${c.available} slots / (${c.instances} × ${c.workers})), raise max_connections, or put PgBouncer in front.`,
            evidence,
            severity: refusingNow ? "error" : options.capacityExceededSeverity,
          },
        );
        break;
      case "warning":
        report(
          "ops.capacity-warning",
          subject,
          `At peak load ${formula(c)} connections, more than the server's ${slotsText(c)}: the last ones fail with "sorry, too many clients already".`,
          {
            hint: `Keep pool_size + max_overflow at or below ${fitPerProcess(c)} per process, or raise max_connections to at least ${c.maxConnections + ((c.demand ?? 0) - c.available)}.`,
            evidence,
          },
        );
        break;
      case "ok":
        break;
    }
  },
});
