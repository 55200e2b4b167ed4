import { describe, expect, it } from "vitest";
import type { ResolveFacts } from "../../../../src/resolve/facts.js";
import rule from "../../../../src/rules/input/no-connection-string.js";
import { describeRule, runRule } from "../../../helpers/rules.js";

const input = (over: Partial<ResolveFacts>): ResolveFacts => ({
  source: { kind: "none" },
  variable: "SKILLFLAW_DATABASE_URL",
  value: "missing",
  lookedAt: ["SKILLFLAW_DATABASE_URL in .env", "SKILLFLAW_DATABASE_URL in the environment"],
  problems: [],
  bareKeys: [],
  commentCut: [],
  ...over,
});

describeRule(rule, [
  {
    name: "nothing found: names where it looked, and --var",
    facts: { input: input({}) },
    expect: [
      {
        code: "input.no-connection-string",
        message:
          "no connection string found: looked for SKILLFLAW_DATABASE_URL in .env, then SKILLFLAW_DATABASE_URL in the environment",
        hint: ["SQLite", "--var NAME"],
      },
    ],
  },
  {
    name: "another variable asked for: no --var advice",
    facts: { input: input({ variable: "DATABASE_URL", lookedAt: ["DATABASE_URL in the environment"] }) },
    expect: [{ code: "input.no-connection-string", message: "looked for DATABASE_URL in the environment" }],
  },
  {
    name: "an empty variable in a .env file, at its line",
    facts: {
      input: input({
        value: "blank",
        source: { kind: "env-file", file: "d.env", line: 1, variable: "SKILLFLAW_DATABASE_URL" },
      }),
    },
    expect: [
      { code: "input.no-connection-string", message: "SKILLFLAW_DATABASE_URL is empty in d.env:1", hint: "SQLite" },
    ],
  },
  {
    name: "an empty argument",
    facts: { input: input({ value: "blank", source: { kind: "argument" } }) },
    expect: [{ code: "input.no-connection-string", message: "the connection string argument is empty" }],
  },
  { name: "silent when a string was found", facts: { input: input({ value: "present" }) }, expect: [] },
  { name: "silent without resolve facts (audit, certs)", facts: {}, expect: [] },
]);

describe("input/no-connection-string hint", () => {
  it("suggests --var only when the default variable was asked for", () => {
    const other = runRule(rule, { input: input({ variable: "DATABASE_URL" }) });
    expect(other[0]?.hint).not.toContain("--var");
  });
});
