import { describe, expect, it } from "vitest";
import { analyzeConninfo } from "../../../../src/conninfo/analyze.js";
import rule from "../../../../src/rules/url/password-unescaped.js";
import { argument, context, fromEnvFile, stageFacts } from "../../../helpers/conninfo.js";
import { describeRule, runRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "says what SQLAlchemy reads instead, with the password fragment masked and an encoded template",
    facts: stageFacts(fromEnvFile("postgresql://app:hunter@22@db.internal:5432/app")),
    expect: [
      {
        code: "url.password-unescaped",
        message:
          'The password contains unescaped \'@\': SQLAlchemy reads host "********@db.internal" instead of "db.internal", a different (truncated) password.',
        hint: ["'@' as %40", "postgresql://app:********@db.internal:5432/app"],
      },
    ],
  },
  {
    name: "explains libpq's reading of a '/' in the password",
    facts: stageFacts(argument("postgresql://app:ab/cdef@db/app")),
    expect: [
      {
        code: "url.password-unescaped",
        message: "The password contains unescaped '/': libpq reads ",
        hint: "'/' as %2F",
      },
    ],
  },
  {
    name: "silent when the characters do not change the reading",
    facts: stageFacts(fromEnvFile("postgresql://app:a/b#c@db/app")),
    expect: [],
  },
  { name: "silent for an encoded password", facts: stageFacts(argument("postgresql://app:p%40ss@db/app")), expect: [] },
  { name: "silent for a keyword/value string", facts: stageFacts(argument("host=db password=a@b")), expect: [] },
]);

describe("url/password-unescaped secrecy and location", () => {
  it("points at the .env line and never shows the password or its pieces", () => {
    const a = analyzeConninfo(fromEnvFile("postgresql://app:hunter@22@db.internal:5432/app"), context());
    const [f] = runRule(rule, a.ruleFacts);
    expect(f?.location).toEqual({ file: ".env", line: 3 });
    const json = JSON.stringify(a.facts) + JSON.stringify(a.ruleFacts) + JSON.stringify(f);
    expect(json).not.toContain("hunter");
    expect(json).not.toMatch(/"22@db/);
    expect(a.facts.params.host).toBe("********@db.internal");
    expect(a.secrets).toEqual(expect.arrayContaining(["hunter@22", "hunter"]));
  });
  it("never shows a password libpq splits at '/'", () => {
    const facts = stageFacts(argument("postgresql://app:ab/cdef@db/app"));
    expect(JSON.stringify(runRule(rule, facts)) + JSON.stringify(facts)).not.toContain("ab/cdef");
  });
});
