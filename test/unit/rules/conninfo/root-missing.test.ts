import rule from "../../../../src/rules/conninfo/root-missing.js";
import { libpqFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";
import { clientFor } from "../../model/client-fixtures.js";

describeRule(rule, [
  {
    name: "verify-full without the default root file, libpq 15's text",
    facts: libpqFacts("host=db.example.com sslmode=verify-full", { major: 15 }),
    expect: [
      {
        code: "sslmode.root-missing",
        message: [
          'root certificate file "/home/app/.postgresql/root.crt" does not exist',
          "Either provide the file or change sslmode",
        ],
      },
    ],
  },
  {
    name: "libpq 17's text offers the system roots",
    facts: libpqFacts("host=db.example.com sslmode=verify-full"),
    expect: [{ code: "sslmode.root-missing", message: "use the system's trusted roots with sslrootcert=system" }],
  },
  {
    name: "an explicit sslrootcert that does not exist under verify-ca",
    facts: libpqFacts("host=db sslmode=verify-ca sslrootcert=/etc/app/ca.pem"),
    expect: [{ code: "sslmode.root-missing", message: "/etc/app/ca.pem" }],
  },
  {
    name: "silent when the file exists",
    facts: libpqFacts("postgresql://app@db.example.com/app?sslmode=verify-full&sslrootcert=/etc/app/ca.pem", {
      files: ["/etc/app/ca.pem"],
    }),
    expect: [],
  },
  {
    name: "silent for sslrootcert=system (libpq 15: system-root-too-old's)",
    facts: libpqFacts("host=db.example.com sslmode=verify-full sslrootcert=system", { major: 15 }),
    expect: [],
  },
  { name: "silent under require", facts: libpqFacts("host=db sslmode=require"), expect: [] },
  {
    name: "for psycopg-binary (no usable store) the hint brings SSL_CERT_FILE with sslrootcert=system",
    facts: {
      ...libpqFacts("host=db.example.com sslmode=verify-full", { major: 18 }),
      client: clientFor("psycopg-binary", {}),
    },
    expect: [
      {
        code: "sslmode.root-missing",
        hint: [
          "sslrootcert=system together with SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
          "/host/tmp/libpq.build",
        ],
      },
    ],
  },
  {
    name: "for psycopg-binary with SSL_CERT_FILE set, plain sslrootcert=system",
    facts: {
      ...libpqFacts("host=db.example.com sslmode=verify-full", { major: 18 }),
      client: clientFor("psycopg-binary", { SSL_CERT_FILE: "/etc/ssl/certs/ca-certificates.crt" }),
    },
    expect: [{ code: "sslmode.root-missing", hint: "or use sslrootcert=system for a public CA" }],
  },
]);
