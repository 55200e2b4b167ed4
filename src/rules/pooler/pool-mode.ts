// Transaction (and statement) pooling hands each transaction to whichever server session is free. SkillFlaw keeps
// session state: its migration lock is a session-level advisory lock (pg_try_advisory_lock), it sets the time zone
// with `options=-c timezone=utc`, and psycopg prepares statements it reuses. None survives a change of server session.

import { skillflawOps } from "../ops/target.js";
import { defineRule } from "../rule.js";
import { detectedPooler } from "./target.js";

export default defineRule({
  id: "pooler/pool-mode",
  family: "pooler",
  codes: {
    "pooler.transaction-pooling": {
      severity: "error",
      title: "The pooler runs in transaction or statement mode",
      description:
        "In pool_mode = transaction (or statement) a client keeps a server session only for one transaction (or statement). SkillFlaw keeps session state across transactions: the session-level migration advisory lock (pg_try_advisory_lock 1281453671/1718382455), the time zone it sets at connect, and psycopg's prepared statements; they end up on another session or are lost.",
      hint: "PgBouncer: pool_mode = session for SkillFlaw's database (a [databases] entry may set pool_mode per database), or point SkillFlaw at the server directly.",
    },
  },
  check(facts, { report }) {
    const p = detectedPooler(facts);
    if (!p || !skillflawOps(facts) || p.config.status !== "completed") return;
    const mode = p.config.value.poolMode;
    if (mode !== "transaction" && mode !== "statement") return;
    report(
      "pooler.transaction-pooling",
      facts.ops?.firstHost ?? p.name,
      `${p.name} runs pool_mode = ${mode} (SHOW CONFIG): SkillFlaw's session-level migration lock, its time zone setting and psycopg's prepared statements do not survive from one transaction to the next.`,
    );
  },
});
