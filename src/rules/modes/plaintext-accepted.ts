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
    report(
      "session.plaintext-accepted",
      t.host,
      `The server accepts an unencrypted session for user "${t.user}" and database "${t.database}"`,
    );
  },
});
