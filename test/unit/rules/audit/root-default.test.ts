// biome-ignore-all lint/suspicious/noTemplateCurlyInString: placeholders such as ${VAR} are what these cases are about
import rule from "../../../../src/rules/audit/root-default.js";
import { describeRule } from "../../../helpers/rules.js";
import { param, stored } from "./fixtures.js";

describeRule(rule, [
  {
    name: "verify-full without sslrootcert relies on the application's ~/.postgresql/root.crt",
    facts: stored({ effective: { sslmode: param("verify-full") } }),
    expect: [
      {
        code: "audit.root-default",
        subject: "sslrootcert",
        message: ["sslmode=verify-full without sslrootcert (DATABASE_URL in deploy/.env:3)", "~/.postgresql/root.crt"],
        hint: "sslrootcert=system",
      },
    ],
  },
  {
    name: "verify-ca from the environment (PGSSLMODE next to a URL in plain text) too",
    facts: stored({ variable: undefined, effective: { sslmode: param("verify-ca", "env") } }),
    expect: [
      { code: "audit.root-default", message: "sslmode=verify-ca without sslrootcert (the value in deploy/.env:3)" },
    ],
  },
  {
    name: "pgjdbc has the same default root file",
    facts: stored({ client: "jdbc", effective: { sslmode: param("verify-full") } }),
    expect: ["audit.root-default"],
  },
  {
    name: "silent for pgx and node-postgres, which use the system's trusted roots",
    facts: stored({ client: "pgx", effective: { sslmode: param("verify-full") } }),
    expect: [],
  },
  {
    name: "silent when sslrootcert is a placeholder (unknown, not absent)",
    facts: stored({ placeholders: { sslrootcert: "${CA_FILE}" }, effective: { sslmode: param("verify-full") } }),
    expect: [],
  },
  {
    name: "silent when sslrootcert is named, wherever it is set",
    facts: stored({ effective: { sslmode: param("verify-full"), sslrootcert: param("/ca.crt", "env") } }),
    expect: [],
  },
  {
    name: "silent when the mode does not verify the server",
    facts: stored({ effective: { sslmode: param("require") } }),
    expect: [],
  },
  { name: "silent without an sslmode (libpq's prefer)", facts: stored({ effective: {} }), expect: [] },
  { name: "silent outside an audit", facts: {}, expect: [] },
]);
