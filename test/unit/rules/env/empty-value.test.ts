import rule from "../../../../src/rules/env/empty-value.js";
import { fromEnvFile, stageFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

const withFileVar = () => {
  const input = fromEnvFile("postgresql://h/db");
  input.fileVars.PGSSLMODE = { value: "", file: ".env", line: 5 };
  return input;
};

describeRule(rule, [
  {
    name: "an empty PG* variable from a file",
    facts: stageFacts(withFileVar()),
    expect: [{ code: "env.empty-value", subject: "PGSSLMODE", message: "(.env:5)" }],
  },
  {
    name: "an empty PG* variable from the environment",
    facts: stageFacts(fromEnvFile("postgresql://h/db"), { env: { PGHOST: "" } }),
    expect: [{ code: "env.empty-value", subject: "PGHOST", message: "(the environment)" }],
  },
  {
    name: "silent for other empty variables",
    facts: stageFacts(fromEnvFile("postgresql://h/db"), { env: { LOG_LEVEL: "" } }),
    expect: [],
  },
]);
