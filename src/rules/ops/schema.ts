// SkillFlaw's schema on the database the URL names: not created yet (SkillFlaw creates it on its first start), or
// incomplete after it ran (an interrupted migration, another application's database, a search_path elsewhere).
import { defineRule } from "../rule.js";
import { skillflawOps } from "./target.js";

export default defineRule({
  id: "ops/schema",
  family: "ops",
  codes: {
    "ops.schema-not-initialized": {
      severity: "info",
      title: "SkillFlaw has not run against this database yet",
      description:
        "There is no alembic_version table and none of SkillFlaw's core tables: SkillFlaw creates them on its first start. Start a single instance first so migrations run without concurrent writers.",
      hint: "Start one SkillFlaw instance, wait until it is up, then start the others.",
    },
    "ops.schema-partial": {
      severity: "error",
      title: "SkillFlaw's schema is incomplete",
      description:
        "After SkillFlaw has run, alembic_version holds a row and the core tables flow, user, apikey, folder, message, variable, transaction and vertex_build exist. Some are missing: an interrupted first start or migration, another application's tables, or a search_path pointing elsewhere.",
      hint: "Run `skillflaw migration --fix` against this database, or check that the URL names the right database and schema.",
    },
    "ops.schema-unreadable": {
      severity: "warning",
      title: "The schema could not be read",
      description: "The read-only catalog queries for SkillFlaw's tables failed, so the schema check could not run.",
      hint: "Check that SkillFlaw's role may connect to the database and read pg_catalog.",
    },
  },
  check(facts, { report }) {
    const live = skillflawOps(facts)?.live;
    if (live?.status !== "completed") return;
    const subject = live.value.session.database;
    const result = live.value.schema;
    if (result.status !== "completed") {
      report("ops.schema-unreadable", subject, `The schema check could not run: ${result.reason}.`);
      return;
    }
    const s = result.value;
    const schema = s.schema ?? "(no schema on the search_path)";
    if (s.state === "empty") {
      report(
        "ops.schema-not-initialized",
        subject,
        `SkillFlaw has not run against this database yet: no alembic_version table and none of its core tables in schema "${schema}".`,
        { evidence: { schema } },
      );
      return;
    }
    if (s.state === "complete") return;
    const problems: string[] = [];
    if (!s.alembicTable) problems.push("there is no alembic_version table");
    else if (s.alembicVersions.length === 0) problems.push("alembic_version has no row");
    if (s.missing.length > 0)
      problems.push(
        `the core table${s.missing.length === 1 ? "" : "s"} ${s.missing.join(", ")} ${s.missing.length === 1 ? "is" : "are"} missing`,
      );
    report(
      "ops.schema-partial",
      subject,
      `SkillFlaw's schema in "${schema}" is incomplete: ${problems.join(", and ")}.`,
      {
        evidence: { schema, missing: s.missing, present: s.present, alembicVersions: s.alembicVersions },
      },
    );
  },
});
