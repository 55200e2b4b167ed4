// A PostgreSQL server the tree runs itself (a docker-compose service of a postgres image) started with `-c ssl=off`:
// it offers no TLS at all, so its clients connect in clear text (prefer falls back silently), and a client that
// requires TLS fails with "server does not support SSL, but SSL was required" (libpq, fe-connect.c).
import { defineRule } from "../rule.js";

const REQUIRES = new Set(["require", "verify-ca", "verify-full"]);

export default defineRule({
  id: "audit/server-ssl-off",
  family: "audit",
  codes: {
    "audit.server-ssl-off": {
      severity: "warning",
      title: "PostgreSQL server in the tree runs with ssl=off",
      description:
        'A docker-compose service runs PostgreSQL with `-c ssl=off`: the server offers no TLS, so every client connects unencrypted, and a client whose sslmode requires TLS fails ("server does not support SSL, but SSL was required"). An error on each such client in the same file.',
      hint: "Remove `-c ssl=off`, give the server a certificate (-c ssl=on -c ssl_cert_file=... -c ssl_key_file=...), and let the clients use sslmode=verify-full.",
      reportedAs: ["error"],
    },
  },
  check({ audit }, { report }) {
    for (const { server, clients } of audit?.tree?.servers ?? []) {
      if (server.ssl !== "off") continue;
      const requiring = clients.filter((c) => REQUIRES.has(c.sslmode));
      report(
        "audit.server-ssl-off",
        server.name,
        `Service ${server.name} in ${server.file}:${server.line} runs PostgreSQL with \`${server.option}\`: it offers no TLS, so its clients connect unencrypted${requiring.length > 0 ? `, and ${requiring.length} setting(s) that require TLS cannot connect` : ""}.`,
        {
          location: { file: server.file, line: server.line, column: server.column },
          evidence: { service: server.name },
        },
      );
      for (const c of requiring)
        report(
          "audit.server-ssl-off",
          server.name,
          `This setting (sslmode=${c.sslmode}) connects to service ${server.name}, which runs with \`${server.option}\` (${server.file}:${server.line}): libpq fails with "server does not support SSL, but SSL was required".`,
          {
            severity: "error",
            location: { file: c.file, line: c.line, column: c.column },
            evidence: { setting: c.setting, service: server.name },
          },
        );
    }
  },
});
