import rule from "../../../../src/rules/env/comment-truncated.js";
import { fromEnvFile, stageFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

const cut = (quote: "none" | "single" | undefined, variable = "SKILLFLAW_DATABASE_URL") => {
  const input = fromEnvFile("postgresql://u:pa");
  input.fileVars[variable] = {
    value: "postgresql://u:pa",
    file: ".env",
    line: 3,
    commentCut: true,
    ...(quote ? { quote } : {}),
  };
  return stageFacts(input);
};

describeRule(rule, [
  {
    name: "an unquoted value cut at ' #'",
    facts: cut("none"),
    expect: [{ code: "env.comment-truncated", subject: "SKILLFLAW_DATABASE_URL", message: "cut the unquoted value" }],
  },
  {
    name: "a quoted value closed early, with the other-quotes advice",
    facts: cut("single"),
    expect: [{ code: "env.comment-truncated", message: "followed directly by '#'", hint: "the other kind of quotes" }],
  },
  {
    name: "a PG* variable cut too",
    facts: cut("none", "PGPASSWORD"),
    expect: [{ code: "env.comment-truncated", subject: "PGPASSWORD" }],
  },
  { name: "silent for another variable", facts: cut("none", "LOG_LEVEL"), expect: [] },
  { name: "silent when nothing was cut", facts: stageFacts(fromEnvFile("postgresql://h/db")), expect: [] },
]);
