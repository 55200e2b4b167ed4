// TLS on the two links a pooler splits a connection into. To the client: when the pooler answers 'N' while the server
// has ssl = on, TLS is off at the pooler (PgBouncer: client_tls_sslmode = disable, its default), and the fix belongs in
// its settings, not in postgresql.conf. To the server: the pooler's own link is plaintext (pg_stat_ssl for the
// backend says no SSL while the client used TLS): that is what the server's view describes.
import type { Facts } from "../facts.js";
import { defineRule } from "../rule.js";
import { detectedPooler, settingsFile } from "./target.js";

function configuredPlaintext(facts: Facts): boolean {
  const m = facts.modes;
  if (!m?.configuredMode) return false;
  const r = m.results.find((x) => x.sslmode === m.configuredMode);
  return r?.ok === true && r.encrypted === false;
}

export default defineRule({
  id: "pooler/tls",
  family: "pooler",
  codes: {
    "pooler.client-tls-off": {
      severity: "warning",
      title: "The pooler does not offer TLS to clients",
      description:
        "The pooler answered 'N' to the SSLRequest although the server behind it has ssl = on: TLS between the client and the pooler is switched off in the pooler (PgBouncer's client_tls_sslmode defaults to disable). Setting ssl = on in postgresql.conf changes nothing for the client.",
      hint: "PgBouncer: client_tls_sslmode = require (or verify-full), client_tls_key_file and client_tls_cert_file in pgbouncer.ini (client_tls_ca_file for client certificates); pgpool-II: ssl = on with ssl_cert/ssl_key in pgpool.conf. Then use sslmode=verify-full.",
    },
    "pooler.server-link-plaintext": {
      severity: "warning",
      title: "The pooler's own link to PostgreSQL is not encrypted",
      description:
        "The client's session is TLS up to the pooler, but pg_stat_ssl shows the pooler's connection to PostgreSQL without SSL. That is the server's view of the pooler, not of the client; it matters when the pooler and the server are on different hosts.",
      hint: "PgBouncer: server_tls_sslmode = verify-full with server_tls_ca_file in pgbouncer.ini (and hostssl lines for the pooler in pg_hba.conf), unless the pooler runs on the database host.",
    },
  },
  check(facts, { report }) {
    const p = detectedPooler(facts);
    if (!p) return;
    const subject = facts.ops?.firstHost ?? p.name;
    const serverSslOn = p.evidence.some((e) => e.sign === "ssl-answer");
    if (serverSslOn || p.offersTls === false)
      report(
        "pooler.client-tls-off",
        subject,
        `${p.name} answers 'N' to the SSLRequest${serverSslOn ? " while PostgreSQL behind it has ssl = on" : ""}: TLS to clients is off in ${settingsFile(p)}${configuredPlaintext(facts) ? ", so the configured sslmode connects in plaintext" : ""}.`,
        {
          hint:
            p.kind === "pgbouncer"
              ? "In pgbouncer.ini: client_tls_sslmode = require, client_tls_key_file = <key>, client_tls_cert_file = <certificate> (and client_tls_ca_file for client certificates), reload PgBouncer, then use sslmode=verify-full. ssl = on in postgresql.conf does not reach the client."
              : undefined,
        },
      );
    const split = p.evidence.find((e) => e.sign === "tls-split");
    if (split && p.clientTls !== null)
      report(
        "pooler.server-link-plaintext",
        subject,
        `The client's session is ${p.clientTls} to ${p.name}; pg_stat_ssl shows ${p.name}'s own connection to PostgreSQL without SSL. That describes the pooler's link, not the client's.`,
      );
  },
});
