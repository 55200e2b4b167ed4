import rule from "../../../../src/rules/conninfo/system-store-missing.js";
import { libpqFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";
import { clientFor } from "../../model/client-fixtures.js";

const facts = (conn: string, client: ReturnType<typeof clientFor>) => ({
  ...libpqFacts(conn, { major: client.libpq }),
  client,
});

describeRule(rule, [
  {
    name: "psycopg-binary without SSL_CERT_FILE: nothing verifies",
    facts: facts("host=db.example.com sslrootcert=system", clientFor("psycopg-binary", {})),
    expect: [
      {
        code: "sslmode.system-store-missing",
        message: ["psycopg-binary", "/host/tmp/libpq.build/cert.pem", "certificate verify failed"],
      },
    ],
  },
  {
    name: "psycopg-binary with SSL_CERT_FILE naming a store that exists",
    facts: facts(
      "host=db.example.com sslrootcert=system",
      clientFor("psycopg-binary", { SSL_CERT_FILE: "/etc/ssl/certs/ca-certificates.crt" }),
    ),
    expect: [],
  },
  {
    name: "the system's libpq finds its store",
    facts: facts("host=db.example.com sslrootcert=system", clientFor("libpq-17", {})),
    expect: [],
  },
  {
    name: "a CA file is not the store",
    facts: facts("host=db.example.com sslrootcert=/etc/app/ca.pem", clientFor("psycopg-binary", {})),
    expect: [],
  },
]);
