// SkillFlaw's floor of PostgreSQL 15, in SkillFlaw's own words.
import rule from "../../../../src/rules/ops/server-version.js";
import { describeRule } from "../../../helpers/rules.js";
import { live, opsFacts } from "./fixtures.js";

describeRule(rule, [
  {
    name: "below 15 is an error with SkillFlaw's own text",
    facts: live({ version: { num: 140011, text: "14.11" } }),
    expect: [
      {
        code: "ops.server-version-too-old",
        subject: "db.internal:5432",
        message: "Running PostgreSQL 14.11. SkillFlaw requires PostgreSQL 15 or higher",
      },
    ],
  },
  { name: "15.0 is enough", facts: live({ version: { num: 150000, text: "15.0" } }), expect: [] },
  {
    name: "the last 14 release is not",
    facts: live({ version: { num: 149999, text: "14.99" } }),
    expect: ["ops.server-version-too-old"],
  },
  { name: "silent without a session", facts: { ops: opsFacts() }, expect: [] },
]);
