import rule from "../../../../src/rules/env/value-quoted.js";
import { argument, fromEnvFile, stageFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "quotes inside a SkillFlaw URL, pointing at the .env line",
    facts: stageFacts(fromEnvFile("'postgresql://h/db'")),
    expect: [
      {
        code: "env.value-quoted",
        message: ["starts and ends with a literal ' character", "SQLAlchemy cannot parse it"],
      },
    ],
  },
  {
    name: "a URL that only ends with a quote",
    facts: stageFacts(argument('postgresql://h/db"')),
    expect: [{ code: "env.value-quoted", message: 'ends with a literal " character' }],
  },
  {
    name: "a keyword/value string that starts with a quote",
    facts: stageFacts(argument("'host=h dbname=x")),
    expect: [{ code: "env.value-quoted", message: "starts with a literal '" }],
  },
  {
    name: "silent for a keyword/value string that ends with a quoted value",
    facts: stageFacts(argument("host=h options='-c x=1'")),
    expect: [],
  },
  { name: "silent for a plain URL", facts: stageFacts(fromEnvFile("postgresql://h/db")), expect: [] },
]);
