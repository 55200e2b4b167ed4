// A session under sslmode=disable succeeded: pg_hba.conf lets plaintext in for this user and database.
import { defineRule } from "../rule.js";

export default defineRule({
  id: "modes/plaintext-accepted",
  family: "modes",
  codes: {
    "session.plaintext-accepted": {
      severity: "warning",
      title: "The server accepts unencrypted sessions",
      description:
        "A session with sslmode=disable succeeds, so pg_hba.conf allows plaintext connections for this user and database. A client that is misconfigured, or an attacker in the middle who strips SSL from prefer, gets a working unencrypted session.",
      hint: "Use hostssl (not host) lines in pg_hba.conf for remote clients, and hostnossl ... reject above them if needed.",
    },
  },
  check({ modes }, { report }) {
    if (modes?.results.find((m) => m.sslmode === "disable")?.ok !== true) return;
    const t = modes.target;
    // Behind a pooler it is the pooler that lets plaintext in; pg_hba.conf sees only the pooler's own link.
    const p = t.pooler;
    report(
      "session.plaintext-accepted",
      t.host,
      p
        ? `${p.name} accepts an unencrypted session for user "${t.user}" and database "${t.database}"`
        : `The server accepts an unencrypted session for user "${t.user}" and database "${t.database}"`,
      p
        ? {
            hint:
              p.kind === "pgbouncer"
                ? "In pgbouncer.ini: client_tls_sslmode = require (or verify-full) with client_tls_key_file and client_tls_cert_file; hostssl lines in pg_hba.conf govern only PgBouncer's own link."
                : `Require TLS in ${p.name}'s own settings (pgpool-II: ssl = on and hostssl lines in pool_hba.conf); pg_hba.conf governs only the pooler's link.`,
          }
        : {},
    );
  },
});
