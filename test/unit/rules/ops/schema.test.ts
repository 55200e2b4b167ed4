// SkillFlaw's schema: complete, not created yet, incomplete, or not readable.
import rule from "../../../../src/rules/ops/schema.js";
import { describeRule } from "../../../helpers/rules.js";
import { live, opsFacts, schema } from "./fixtures.js";

const completed = (s: Parameters<typeof schema>[0]) => live({ schema: { status: "completed", value: schema(s) } });

describeRule(rule, [
  { name: "complete: silent", facts: completed({}), expect: [] },
  {
    name: "empty: SkillFlaw has not run here yet (info)",
    facts: completed({ alembicTable: false, alembicVersions: [], state: "empty" }),
    expect: [
      {
        code: "ops.schema-not-initialized",
        subject: "skillflaw",
        message: ["SkillFlaw has not run against this database yet", 'in schema "public"'],
      },
    ],
  },
  {
    name: "no schema on the search_path reads as empty, and says so",
    facts: completed({ schema: null, alembicTable: false, alembicVersions: [], state: "empty" }),
    expect: [{ code: "ops.schema-not-initialized", message: "(no schema on the search_path)" }],
  },
  {
    name: "partial: an error naming the missing tables",
    facts: completed({ missing: ["message", "vertex_build"], state: "partial" }),
    expect: [{ code: "ops.schema-partial", subject: "skillflaw", message: "message, vertex_build are missing" }],
  },
  {
    name: "partial: alembic_version without its row",
    facts: completed({ alembicVersions: [], state: "partial" }),
    expect: [{ code: "ops.schema-partial", message: "alembic_version has no row" }],
  },
  {
    name: "partial: tables without alembic_version, one missing",
    facts: completed({ alembicTable: false, alembicVersions: [], missing: ["flow"], state: "partial" }),
    expect: [
      { code: "ops.schema-partial", message: "there is no alembic_version table, and the core table flow is missing" },
    ],
  },
  {
    name: "the catalog queries failed: the check could not run (a warning, not a pass)",
    facts: live({ schema: { status: "error", reason: "could not read public.alembic_version: permission denied" } }),
    expect: [{ code: "ops.schema-unreadable", message: "The schema check could not run: could not read public" }],
  },
  { name: "silent without a session", facts: { ops: opsFacts() }, expect: [] },
]);
