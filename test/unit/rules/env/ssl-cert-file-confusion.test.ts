import rule from "../../../../src/rules/env/ssl-cert-file-confusion.js";
import { fromEnvFile, stageFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "a database-like file name",
    facts: stageFacts(fromEnvFile("postgresql://h/db"), { env: { SKILLFLAW_SSL_CERT_FILE: "/certs/client.crt" } }),
    expect: [
      {
        code: "env.ssl-cert-file-confusion",
        subject: "SKILLFLAW_SSL_CERT_FILE",
        message: "looks like a database client certificate",
      },
    ],
  },
  {
    name: "used instead of TLS settings in the URL",
    facts: stageFacts(fromEnvFile("postgresql://h/db"), { env: { SKILLFLAW_SSL_KEY_FILE: "/srv/web.pem" } }),
    expect: [{ code: "env.ssl-cert-file-confusion", message: "the URL itself sets no TLS parameters" }],
  },
  {
    name: "the same file as the URL's sslcert",
    facts: stageFacts(fromEnvFile("postgresql://h/db?sslmode=verify-full&sslcert=/srv/web.pem"), {
      env: { SKILLFLAW_SSL_CERT_FILE: "/srv/web.pem" },
    }),
    expect: [
      { code: "env.ssl-cert-file-confusion", message: "the same file as the database connection's TLS settings" },
    ],
  },
  {
    name: "silent for a web certificate next to a URL with its own TLS settings",
    facts: stageFacts(fromEnvFile("postgresql://h/db?sslmode=verify-full&sslrootcert=/etc/ca.crt"), {
      env: { SKILLFLAW_SSL_KEY_FILE: "/srv/web.pem" },
    }),
    expect: [],
  },
  { name: "silent when unset", facts: stageFacts(fromEnvFile("postgresql://h/db")), expect: [] },
]);
