import rule from "../../../../src/rules/pooler/detected.js";
import { describeRule } from "../../../helpers/rules.js";
import { bouncerSession, pooler, withPooler } from "./fixtures.js";

describeRule(rule, [
  {
    name: "PgBouncer with client TLS: named, certain, with every sign and what the server-side facts describe",
    facts: withPooler(pooler({ session: bouncerSession() })),
    expect: [
      {
        code: "pooler.detected",
        subject: "db.internal:6432",
        message: [
          "PgBouncer between the client and PostgreSQL (certain)",
          "BackendKeyData carries pid 2103546461",
          "the client's session is TLSv1.3, while pg_stat_ssl says the server's connection is not encrypted",
          "port 6432 was dialled, the server's inet_server_port() is 5432",
          'the admin console (database "pgbouncer") exists',
          "describe PgBouncer's own link to PostgreSQL",
        ],
      },
    ],
  },
  {
    name: "only a port that differs (a NAT or a container's port map too): reported as possible, no claim on the link",
    facts: withPooler(
      pooler({
        session: {
          dialledPort: 15432,
          serverPort: 5432,
          backendPid: 7,
          keyPid: 7,
          clientTls: "TLSv1.3",
          serverSsl: true,
          serverSslVersion: "TLSv1.3",
          sslSetting: "on",
          poolVersion: null,
        },
      }),
    ),
    expect: [{ code: "pooler.detected", message: "a pooler or proxy between the client and PostgreSQL (possible)" }],
  },
  { name: "no pooler: silent", facts: withPooler(null), expect: [] },
  { name: "no operations facts: silent", facts: {}, expect: [] },
]);
