import rule from "../../../../src/rules/env/value-whitespace.js";
import { argument, fromEnvFile, stageFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "a trailing space in a URL",
    facts: stageFacts(fromEnvFile("postgresql://h/db ")),
    expect: [{ code: "env.value-whitespace", message: "SKILLFLAW_DATABASE_URL (.env:3) contains trailing whitespace" }],
  },
  {
    name: "a Windows line ending and a space in the middle",
    facts: stageFacts(argument("postgresql://h/my db\r\n")),
    expect: [
      {
        code: "env.value-whitespace",
        message: "trailing whitespace and a line break and whitespace in the middle",
      },
    ],
  },
  { name: "silent for a keyword/value string", facts: stageFacts(argument("host=h dbname=d")), expect: [] },
  { name: "silent for a clean URL", facts: stageFacts(argument("postgresql://h/db")), expect: [] },
]);
