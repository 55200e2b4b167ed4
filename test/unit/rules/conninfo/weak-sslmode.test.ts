import { describe, expect, it } from "vitest";
import rule from "../../../../src/rules/conninfo/weak-sslmode.js";
import { libpqFacts } from "../../../helpers/conninfo.js";
import { describeRule, runRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "no sslmode at all: libpq uses prefer",
    facts: libpqFacts("postgresql://app@db.example.com/app"),
    expect: [
      { code: "sslmode.default-prefer", message: ["prefer", "silently falls back"], hint: "sslrootcert=system" },
    ],
  },
  {
    name: "no sslmode on libpq 15: the hint names no system roots",
    facts: libpqFacts("host=db.example.com", { major: 15 }),
    expect: [{ code: "sslmode.default-prefer", hint: "sslmode=verify-full" }],
  },
  {
    name: "require encrypts but verifies nothing",
    facts: libpqFacts("host=db.example.com sslmode=require"),
    expect: [
      {
        code: "sslmode.weak",
        message: ["does not check the server's certificate", "set in the connection string"],
        hint: "verify-full",
      },
    ],
  },
  {
    name: "verify-ca does not check the host name",
    facts: libpqFacts("host=db.example.com sslmode=verify-ca sslrootcert=/etc/app/ca.pem", {
      files: ["/etc/app/ca.pem"],
    }),
    expect: [{ code: "sslmode.weak", message: "not that it was issued for this host", hint: "host name is checked" }],
  },
  {
    name: "prefer from the environment is weak, not a default",
    facts: libpqFacts("host=db.example.com", { env: { PGSSLMODE: "prefer" } }),
    expect: [{ code: "sslmode.weak", message: ["from the environment", "PGSSLMODE"] }],
  },
  {
    name: "disable never uses SSL",
    facts: libpqFacts("host=db sslmode=disable sslrootcert=/etc/app/ca.pem sslcert=/etc/app/client.crt"),
    expect: [{ code: "sslmode.weak", message: "never uses SSL" }],
  },
  {
    name: "prefer with a root file present says a failed check falls back to plaintext",
    facts: libpqFacts("host=db.example.com sslmode=prefer", { files: ["/home/app/.postgresql/root.crt"] }),
    expect: [{ code: "sslmode.weak", message: "A root CA file is present (/home/app/.postgresql/root.crt)" }],
  },
  { name: "silent under verify-full", facts: libpqFacts("host=db sslmode=verify-full"), expect: [] },
  {
    name: "silent with sslrootcert=system on libpq 16 (verify-full by default)",
    facts: libpqFacts("host=db.example.com sslrootcert=system", { major: 16 }),
    expect: [],
  },
  {
    name: "silent on an invalid sslmode (invalid-value's)",
    facts: libpqFacts("host=db sslmode=verify_full"),
    expect: [],
  },
  { name: "silent over a Unix socket", facts: libpqFacts("host=/var/run/postgresql sslmode=require"), expect: [] },
  { name: "silent for the default socket", facts: libpqFacts("dbname=app"), expect: [] },
  { name: "silent when libpq cannot parse the string", facts: libpqFacts("host=db sslmode"), expect: [] },
]);

describe("conninfo/weak-sslmode hints", () => {
  it("offers sslrootcert=system only where libpq has it (16+)", () => {
    const [f] = runRule(rule, libpqFacts("host=db.example.com", { major: 15 }));
    expect(f?.hint).not.toContain("system");
  });
});
