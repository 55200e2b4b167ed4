import type { ResolveFacts } from "../../../../src/resolve/facts.js";
import rule from "../../../../src/rules/env/dotenv-problem.js";
import { describeRule } from "../../../helpers/rules.js";

const input = (over: Partial<ResolveFacts>): ResolveFacts => ({
  source: { kind: "env-file", file: ".env", line: 3, variable: "SKILLFLAW_DATABASE_URL" },
  variable: "SKILLFLAW_DATABASE_URL",
  value: "present",
  lookedAt: [],
  problems: [],
  bareKeys: [],
  commentCut: [],
  ...over,
});

describeRule(rule, [
  {
    name: "a line python-dotenv cannot parse, at its line",
    facts: {
      input: input({
        problems: [{ file: ".env", line: 7, message: "python-dotenv could not parse statement starting at line 7" }],
      }),
    },
    expect: [{ code: "env.dotenv-problem", subject: ".env", message: "starting at line 7" }],
  },
  {
    name: "the connection string's variable without '='",
    facts: { input: input({ bareKeys: [{ key: "SKILLFLAW_DATABASE_URL", file: ".env", line: 2 }] }) },
    expect: [
      { code: "env.dotenv-problem", message: "on line 2 has no '='", hint: "Write SKILLFLAW_DATABASE_URL=VALUE." },
    ],
  },
  {
    name: "silent for other bare keys",
    facts: { input: input({ bareKeys: [{ key: "DEBUG", file: ".env", line: 2 }] }) },
    expect: [],
  },
  {
    name: "a statement python-dotenv skips in an audited .env file, at its line and column",
    facts: {
      audit: {
        problems: [
          { file: "deploy/.env", line: 4, column: 1, kind: "dotenv", message: "python-dotenv could not parse line 4" },
          { file: "k8s.yaml", line: 2, kind: "unparseable", message: "bad indentation" },
        ],
      },
    },
    expect: [{ code: "env.dotenv-problem", subject: "deploy/.env", message: "could not parse line 4" }],
  },
  { name: "silent for a clean file", facts: { input: input({}) }, expect: [] },
]);
