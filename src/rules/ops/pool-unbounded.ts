// A pool without an upper bound (NullPool, max_overflow -1): how many connections SkillFlaw opens depends on load.
import { defineRule } from "../rule.js";
import { at, skillflawOps } from "./target.js";

export default defineRule({
  id: "ops/pool-unbounded",
  family: "ops",
  codes: {
    "ops.pool-unbounded": {
      severity: "warning",
      title: "The pool has no upper bound",
      description:
        "With poolclass NullPool every session opens its own connection, and max_overflow -1 allows unlimited overflow: how many connections SkillFlaw opens depends on load alone, so the capacity check cannot promise anything.",
      hint: "Use the default QueuePool with a finite pool_size and max_overflow, or put PgBouncer in front of the database.",
    },
  },
  check(facts, { report }) {
    const pool = skillflawOps(facts)?.pool;
    if (!pool || (pool.bound !== "nullpool" && pool.bound !== "unlimited-overflow")) return;
    const why = pool.bound === "nullpool" ? "NullPool" : "max_overflow";
    report(
      "ops.pool-unbounded",
      "SKILLFLAW_DB_CONNECTION_SETTINGS",
      why === "NullPool"
        ? "poolclass NullPool opens a new connection for every session and keeps none: how many connections SkillFlaw holds at once has no upper bound."
        : "max_overflow -1 lets every pool open unlimited overflow connections: SkillFlaw's connection count has no upper bound.",
      { evidence: { why }, ...at(pool.settingsFrom?.location) },
    );
  },
});
