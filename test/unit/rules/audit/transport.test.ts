// biome-ignore-all lint/suspicious/noTemplateCurlyInString: placeholders such as ${VAR} are what these cases are about
import rule from "../../../../src/rules/audit/transport.js";
import { describeRule } from "../../../helpers/rules.js";
import { param, stored } from "./fixtures.js";

const remote = { hosts: [{ host: "db.prod.example.com", reach: "remote" as const }], reach: "remote" as const };

describeRule(rule, [
  {
    name: "sslmode=disable to a remote host is an error",
    facts: stored({ ...remote, effective: { sslmode: param("disable") } }),
    expect: [
      {
        code: "audit.plaintext-allowed",
        subject: "sslmode",
        message: [
          "DATABASE_URL in deploy/.env:3 connects to db.prod.example.com with sslmode=disable (in the connection string)",
          "never uses TLS",
        ],
      },
    ],
  },
  {
    name: "allow and prefer too, and no sslmode at all (libpq's prefer)",
    facts: stored({ ...remote, effective: {} }),
    expect: [{ code: "audit.plaintext-allowed", message: "no sslmode (the client's default is prefer)" }],
  },
  {
    name: "an sslmode written as a separate key points at its line",
    facts: stored({
      ...remote,
      form: "parts",
      parts: { host: { key: "host", line: 5, column: 11 }, sslmode: { key: "sslmode", line: 10, column: 14 } },
      effective: { host: param("db.prod.example.com"), sslmode: param("allow") },
    }),
    expect: [{ code: "audit.plaintext-allowed", message: "sslmode=allow (deploy/.env:10 (sslmode))" }],
  },
  {
    name: "a mapped client switch is named (node-postgres without DB_POSTGRESDB_SSL_ENABLED)",
    facts: stored({
      ...remote,
      client: "node-postgres",
      notes: { sslmode: "no SSL switch set: node-postgres connects without TLS" },
      effective: { sslmode: param("disable") },
    }),
    expect: [{ code: "audit.plaintext-allowed", message: "node-postgres connects without TLS" }],
  },
  {
    name: "an unknown application without sslmode: at most a warning (its default is its own)",
    facts: stored({
      ...remote,
      client: "unknown",
      form: "parts",
      parts: { host: { key: "host", line: 3, column: 9 } },
      effective: {},
    }),
    expect: [{ code: "audit.plaintext-allowed", severity: "warning", message: "the application's default applies" }],
  },
  {
    name: "loopback, a container of the same compose file, a CI service container: info",
    facts: stored({
      hosts: [{ host: "db", reach: "container" }],
      reach: "container",
      effective: { sslmode: param("disable") },
    }),
    expect: [
      { code: "audit.plaintext-allowed", severity: "info", message: "a container of the same docker-compose file" },
    ],
  },
  {
    name: "a CI pipeline is info whatever the host",
    facts: stored({ ...remote, ci: true, effective: { sslmode: param("disable") } }),
    expect: [{ code: "audit.plaintext-allowed", severity: "info", message: "CI pipeline" }],
  },
  {
    name: "a placeholder host makes it a warning",
    facts: stored({
      hosts: [{ host: "${DB_HOST}", reach: "unknown" }],
      reach: "unknown",
      effective: { sslmode: param("prefer") },
    }),
    expect: [{ code: "audit.plaintext-allowed", severity: "warning", message: "the host is a placeholder" }],
  },
  {
    name: "an example file or an unused block is info",
    facts: stored({ ...remote, inactive: "enabled is false", effective: { sslmode: param("disable") } }),
    expect: [{ code: "audit.plaintext-allowed", severity: "info", message: "not used as written (enabled is false)" }],
  },
  {
    name: "require encrypts without checking the server: a warning",
    facts: stored({ ...remote, effective: { sslmode: param("require") } }),
    expect: [{ code: "audit.server-unverified", message: "never checks the server's certificate" }],
  },
  {
    name: "verify-ca checks the CA but not the name",
    facts: stored({ ...remote, effective: { sslmode: param("verify-ca") } }),
    expect: [{ code: "audit.server-unverified", hint: "host name is checked" }],
  },
  {
    name: "sslrootcert=system without sslmode means verify-full (libpq 16+): silent",
    facts: stored({ ...remote, effective: { sslrootcert: param("system") } }),
    expect: [],
  },
  { name: "silent for verify-full", facts: stored(remote), expect: [] },
  {
    name: "silent for a Unix-domain socket, a setting with no host, or an sslmode that is a placeholder",
    facts: stored({
      hosts: [{ host: "/var/run/postgresql", reach: "socket" }],
      reach: "socket",
      effective: { sslmode: param("disable") },
    }),
    expect: [],
  },
  {
    name: "silent when the sslmode is a placeholder (audit/placeholder says so)",
    facts: stored({ ...remote, placeholders: { sslmode: "${PGSSLMODE}" }, effective: {} }),
    expect: [],
  },
  { name: "silent outside an audit", facts: {}, expect: [] },
]);
