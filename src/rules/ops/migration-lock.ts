// SkillFlaw's migration advisory lock (key 0x4C616E67666C6F77) held or awaited: an instance is migrating right now,
// and the others wait for it (SKILLFLAW_MIGRATION_LOCK_TIMEOUT_S, skillflaw.md §4).
import { defineRule } from "../rule.js";
import { clientsOf } from "./clients.js";

export default defineRule({
  id: "ops/migration-lock",
  family: "ops",
  codes: {
    "ops.migration-lock-held": {
      severity: "info",
      title: "SkillFlaw's migration lock is held",
      description:
        'A session holds SkillFlaw\'s advisory migration lock (pg_locks: advisory, classid 1281453671, objid 1718382455): an instance is migrating now. Other instances wait up to SKILLFLAW_MIGRATION_LOCK_TIMEOUT_S (300 s) and then fail with "Could not acquire migration advisory lock ...".',
      hint: "Wait for the migrating instance; if it hangs, look at that pid (pg_stat_activity) and restart it alone.",
    },
  },
  check(facts, { report }) {
    const c = clientsOf(facts);
    if (!c) return;
    for (const l of c.migrationLock)
      report(
        "ops.migration-lock-held",
        c.database,
        `SkillFlaw's migration advisory lock is ${l.granted ? "held" : "awaited"} by pid ${l.pid}${l.clientAddr ? ` from ${l.clientAddr}` : ""}${l.applicationName ? ` (${l.applicationName})` : ""}: an instance is migrating the schema now.`,
        { evidence: { pid: l.pid, granted: l.granted, clientAddr: l.clientAddr } },
      );
  },
});
