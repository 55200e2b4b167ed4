import { describe, expect, it } from "vitest";
import rule from "../../../../src/rules/conninfo/parse-error.js";
import { libpqFacts } from "../../../helpers/conninfo.js";
import { describeRule, runRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "an invalid percent escape, with the %25 advice",
    facts: libpqFacts("postgresql://host/db?sslmode=%zz"),
    expect: [{ code: "conninfo.parse-error", message: 'invalid percent-encoded token: "%zz"', hint: "%25" }],
  },
  {
    name: "a password libpq quotes is masked",
    facts: libpqFacts("postgresql://app:SECRETPW%zz@host/db"),
    expect: [{ code: "conninfo.parse-error", message: 'invalid percent-encoded token: "********"' }],
  },
  {
    name: "a SQLAlchemy URL handed to libpq: drop the +driver",
    facts: libpqFacts("postgresql+psycopg://app:pw1234@host/db"),
    expect: [
      { code: "conninfo.parse-error", message: "postgresql+psycopg://app:********@host/db", hint: "drop the +driver" },
    ],
  },
  {
    name: "a broken keyword/value string gets the key=value advice",
    facts: libpqFacts("host=db dbname"),
    expect: [{ code: "conninfo.parse-error", message: 'missing "=" after "dbname"', hint: "key='a b'" }],
  },
  {
    name: "silent on an unknown keyword (unknown-option's)",
    facts: libpqFacts("host=db ssl_mode=require"),
    expect: [],
  },
  { name: "silent when libpq parses the string", facts: libpqFacts("host=db sslmode=verify-full"), expect: [] },
  { name: "silent without conninfo facts", facts: {}, expect: [] },
]);

describe("conninfo/parse-error secrecy", () => {
  it("never shows a password libpq's message quotes", () => {
    for (const [input, secret] of [
      ["postgresql://app:SECRETPW%zz@host/db", "SECRETPW"],
      ["postgresql+psycopg://app:pw1234@host/db", "pw1234"],
    ] as const) {
      const facts = libpqFacts(input);
      expect(JSON.stringify(runRule(rule, facts))).not.toContain(secret);
      expect(JSON.stringify(facts)).not.toContain(secret);
    }
  });
});
