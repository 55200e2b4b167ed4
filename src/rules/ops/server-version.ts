// SkillFlaw's floor: its schema uses UNIQUE NULLS DISTINCT (PostgreSQL 15+), and it checks server_version_num at
// start-up and exits 1 below 150000 (skillflaw.md §4).
import { defineRule } from "../rule.js";
import { skillflawOps } from "./target.js";

/** The oldest PostgreSQL major SkillFlaw starts against. */
export const SKILLFLAW_MIN_SERVER_MAJOR = 15;

export default defineRule({
  id: "ops/server-version",
  family: "ops",
  codes: {
    "ops.server-version-too-old": {
      severity: "error",
      title: "PostgreSQL older than 15",
      description:
        "SkillFlaw's schema uses UNIQUE NULLS DISTINCT, which only PostgreSQL 15 and later understand. SkillFlaw checks server_version_num before it starts and exits 1 below 150000.",
      hint: "Upgrade the server to PostgreSQL 15 or later (or point SkillFlaw at one).",
    },
  },
  check(facts, { report }) {
    const live = skillflawOps(facts)?.live;
    if (live?.status !== "completed") return;
    const { version: v, session: s } = live.value;
    if (v.num >= SKILLFLAW_MIN_SERVER_MAJOR * 10000) return;
    const min = SKILLFLAW_MIN_SERVER_MAJOR;
    report(
      "ops.server-version-too-old",
      `${s.host}:${s.port}`,
      `Running PostgreSQL ${v.text}. SkillFlaw requires PostgreSQL ${min} or higher when using PostgreSQL as the database. The current PostgreSQL version does not support the syntax used by SkillFlaw's schema. Please upgrade your PostgreSQL instance to version ${min} or higher.`,
      { evidence: { serverVersionNum: v.num } },
    );
  },
});
