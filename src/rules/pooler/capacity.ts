// Connection capacity behind a pooler: SkillFlaw's pools connect to the pooler, so its max_client_conn is the limit
// they meet (PgBouncer refuses the next client with "no more connections allowed (max_client_conn)"), and the server's
// max_connections bounds only the pooler's own pools. Without the pooler's settings the limit is unknown.
import { skillflawOps } from "../ops/target.js";
import { defineRule } from "../rule.js";
import { detectedPooler } from "./target.js";

export default defineRule({
  id: "pooler/capacity",
  family: "pooler",
  codes: {
    "pooler.capacity-unknown": {
      severity: "info",
      title: "The pooler's connection limits could not be read",
      description:
        "Behind a pooler, SkillFlaw's connections count against the pooler's client limit (PgBouncer max_client_conn), not against the server's max_connections, which bounds the pooler's own pools. PgBouncer shows its settings (SHOW CONFIG) only to roles in admin_users or stats_users.",
      hint: "Run dbdoctor instances as a role listed in PgBouncer's stats_users, or compare instances × workers × (pool_size + max_overflow) with max_client_conn in pgbouncer.ini by hand.",
    },
    "pooler.capacity-exceeded": {
      severity: "error",
      title: "SkillFlaw's pools can open more connections than the pooler accepts",
      description:
        "instances × workers × (pool_size + max_overflow) is more than the pooler's client limit: PgBouncer refuses the connections above max_client_conn (no more connections allowed (max_client_conn)); pgpool-II serves num_init_children clients at once and makes the others wait.",
      hint: "Lower pool_size/max_overflow or the worker count, or raise max_client_conn in pgbouncer.ini.",
    },
  },
  check(facts, { report }) {
    const p = detectedPooler(facts);
    const ops = skillflawOps(facts);
    if (!p || !ops) return;
    const subject = ops.firstHost ?? p.name;
    const perProcess = ops.pool.perProcess;
    const demand = perProcess === null ? null : ops.instances * ops.workers * perProcess;
    if (p.config.status !== "completed" || p.config.value.maxClientConn === null) {
      report(
        "pooler.capacity-unknown",
        subject,
        `SkillFlaw's connections count against ${p.name}'s client limit, which is unknown here (${p.config.status === "completed" ? "max_client_conn not shown" : p.config.reason}); the server's max_connections bounds only ${p.name}'s own pools${demand !== null ? `. SkillFlaw may open up to ${demand}` : ""}.`,
      );
      return;
    }
    const max = p.config.value.maxClientConn;
    // pgpool-II serves num_init_children clients at once; the others wait for a child (or are refused).
    const limit = p.kind === "pgpool" ? "num_init_children" : "max_client_conn";
    if (demand !== null && demand > max)
      report(
        "pooler.capacity-exceeded",
        subject,
        `${ops.instances} instance${ops.instances === 1 ? "" : "s"} × ${ops.workers} worker${ops.workers === 1 ? "" : "s"} × ${perProcess} = ${demand} connections, but ${p.name}'s ${limit} is ${max}.`,
        {
          evidence: { demand, maxClientConn: max },
          ...(p.kind === "pgpool"
            ? { hint: "Lower pool_size/max_overflow or the worker count, or raise num_init_children in pgpool.conf." }
            : {}),
        },
      );
  },
});
