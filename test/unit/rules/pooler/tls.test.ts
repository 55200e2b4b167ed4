import rule from "../../../../src/rules/pooler/tls.js";
import { describeRule } from "../../../helpers/rules.js";
import { bouncerSession, pooler, withPooler } from "./fixtures.js";

const wire = (
  sslAnswer: "S" | "N" | null,
  session?: { sslSetting: string; serverSsl: boolean; clientTls: string | null },
) => ({
  errors: [],
  sslAnswer,
  auth: [],
  ...(session ? { matrixSession: { sslmode: "prefer" as const, ...session } } : {}),
});

describeRule(rule, [
  {
    name: "client_tls_sslmode=disable: 'N' while the server says ssl = on; the fix is in pgbouncer.ini",
    facts: withPooler(
      pooler({
        session: bouncerSession({ clientTls: null, adminConsole: { state: "not-allowed", message: "not allowed" } }),
        wire: wire("N", { sslSetting: "on", serverSsl: false, clientTls: null }),
      }),
    ),
    expect: [
      {
        code: "pooler.client-tls-off",
        message: "PgBouncer answers 'N' to the SSLRequest while PostgreSQL behind it has ssl = on",
        hint: [
          "client_tls_sslmode = require",
          "client_tls_key_file",
          "ssl = on in postgresql.conf does not reach the client",
        ],
      },
    ],
  },
  {
    name: "'N' from a PgBouncer seen only by its startup answer (no session): still its settings",
    facts: withPooler(
      pooler({
        startup: {
          host: "db.internal",
          port: 6432,
          fields: { S: "FATAL", C: "08P01", M: "unsupported startup parameter: dbdoctor.pooler_probe" },
        },
        wire: wire("N"),
      }),
    ),
    expect: [{ code: "pooler.client-tls-off", message: "TLS to clients is off in pgbouncer.ini" }],
  },
  {
    name: "TLS to PgBouncer, plaintext from PgBouncer to the server: the server's view is the pooler's link",
    facts: withPooler(pooler({ session: bouncerSession(), wire: wire("S") })),
    expect: [
      {
        code: "pooler.server-link-plaintext",
        message: ["The client's session is TLSv1.3 to PgBouncer", "describes the pooler's link, not the client's"],
        hint: "server_tls_sslmode = verify-full",
      },
    ],
  },
  {
    name: "TLS on both links: silent",
    facts: withPooler(
      pooler({ session: bouncerSession({ serverSsl: true, serverSslVersion: "TLSv1.3" }), wire: wire("S") }),
    ),
    expect: [],
  },
  { name: "no pooler: silent", facts: withPooler(null), expect: [] },
]);
