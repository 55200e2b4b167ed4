import rule from "../../../../src/rules/env/lowercase-variable.js";
import { fromEnvFile, stageFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "a differently-cased variable in a .env file",
    facts: stageFacts(fromEnvFile("postgresql://h/db", "skillflaw_database_url")),
    expect: [
      {
        code: "env.lowercase-variable",
        subject: "skillflaw_database_url",
        message: "silently uses its SQLite database",
        hint: "Rename skillflaw_database_url to SKILLFLAW_DATABASE_URL.",
      },
    ],
  },
  {
    name: "a differently-cased variable in the environment",
    facts: {
      input: {
        source: { kind: "env", variable: "Skillflaw_Database_Url" },
        variable: "SKILLFLAW_DATABASE_URL",
        value: "present",
        lookedAt: [],
        problems: [],
        bareKeys: [],
        commentCut: [],
      },
    },
    expect: [{ code: "env.lowercase-variable", subject: "Skillflaw_Database_Url" }],
  },
  {
    name: "silent for a byte-order mark glued to the right name",
    facts: stageFacts(fromEnvFile("postgresql://h/db", "\ufeffSKILLFLAW_DATABASE_URL")),
    expect: [],
  },
  { name: "silent for the exact name", facts: stageFacts(fromEnvFile("postgresql://h/db")), expect: [] },
]);
