// Names the pooler or proxy between the client and PostgreSQL, with every sign that shows it, so that a reader knows
// which claims describe the client's own link (the matrix, the client's TLS) and which the pooler's link to the server
// (pg_stat_ssl, inet_server_port, max_connections, pg_stat_activity).
import { defineRule } from "../rule.js";

export default defineRule({
  id: "pooler/detected",
  family: "pooler",
  codes: {
    "pooler.detected": {
      severity: "info",
      title: "A pooler or proxy sits between the client and PostgreSQL",
      description:
        "PgBouncer, pgpool-II, Supavisor, RDS Proxy and Neon's proxy answer the SSLRequest and run TLS themselves and keep their own link to PostgreSQL. What the server reports about 'our' session (pg_stat_ssl, inet_server_port, pg_stat_activity, max_connections) then describes that link, not the client's. The signs: a BackendKeyData pid that is not pg_backend_pid() (PgBouncer sends random bytes), TLS at the client but none in pg_stat_ssl, an 'N' while the server says ssl = on, another inet_server_port(), PgBouncer's admin console or error texts, pgpool's SHOW pool_version, a provider's pooler host or port.",
      hint: "TLS and authentication to the client are the pooler's settings; the server's ssl and pg_hba.conf govern only the pooler's own link.",
    },
  },
  check(facts, { report }) {
    const p = facts.ops?.pooler;
    if (!p) return;
    const signs = p.evidence.map((e) => e.detail);
    const link =
      p.confidence === "possible"
        ? ""
        : ` The server-side facts below (pg_stat_ssl, inet_server_port, pg_stat_activity, max_connections) describe ${p.name}'s own link to PostgreSQL, not the client's.`;
    report(
      "pooler.detected",
      facts.ops?.firstHost ?? p.name,
      `${p.name} between the client and PostgreSQL (${p.confidence}): ${signs.join("; ")}.${link}`,
      { evidence: { kind: p.kind, confidence: p.confidence, signs: p.evidence.map((e) => e.sign) } },
    );
  },
});
