// How the pooler asks clients to authenticate, as observed on the wire: AuthenticationCleartextPassword (PgBouncer
// auth_type = plain, pgpool's pool_hba `password`) sends the password itself, readable wherever the channel is not
// TLS; a session that opens with no authentication request at all is auth_type = trust.
import type { AuthObservation } from "../../ops/pooler-types.js";
import { defineRule } from "../rule.js";
import { detectedPooler, settingsFile } from "./target.js";

const modes = (xs: readonly AuthObservation[]) => xs.map((x) => x.sslmode).join(", ");

export default defineRule({
  id: "pooler/auth",
  family: "pooler",
  codes: {
    "pooler.auth-cleartext": {
      severity: "warning",
      title: "The pooler asks for the password in clear text",
      description:
        "The pooler sent AuthenticationCleartextPassword (PgBouncer auth_type = plain): the client sends the password itself rather than a SCRAM proof. Over a plaintext channel anyone on the path reads it; over TLS the pooler still receives it, and a man in the middle does where the certificate is not verified. An error when it was asked over a plaintext channel.",
      hint: "PgBouncer: auth_type = scram-sha-256 in pgbouncer.ini (with SCRAM secrets in auth_file or auth_query); and sslmode=verify-full.",
    },
    "pooler.auth-none": {
      severity: "warning",
      title: "The pooler asks for no password",
      description:
        "The session opened without any authentication request: the pooler lets anyone who reaches it in as any user in its auth_file (PgBouncer auth_type = trust), and logs in to PostgreSQL for them.",
      hint: "PgBouncer: auth_type = scram-sha-256 (or cert) in pgbouncer.ini.",
    },
  },
  check(facts, { report }) {
    const p = detectedPooler(facts);
    if (!p) return;
    const subject = facts.ops?.firstHost ?? p.name;
    const clear = p.auth.filter((a) => a.requested === "password");
    if (clear.length > 0) {
      const plain = clear.filter((a) => !a.encrypted);
      report(
        "pooler.auth-cleartext",
        subject,
        `${p.name} asked for the password in clear text (AuthenticationCleartextPassword) under sslmode ${modes(clear)}${plain.length > 0 ? `; under ${modes(plain)} over a plaintext channel, where anyone on the path reads it` : ", inside TLS"}.`,
        {
          ...(plain.length > 0 ? { severity: "error" as const } : {}),
          ...(p.kind !== "pgbouncer"
            ? { hint: `Ask for SCRAM (scram-sha-256) in ${settingsFile(p)}; and sslmode=verify-full.` }
            : {}),
        },
      );
    }
    // With a client certificate on the channel, no password request may be certificate authentication (auth_type=cert).
    const none = p.auth.filter((a) => a.requested === "none" && !a.clientCertificate);
    if (none.length > 0)
      report(
        "pooler.auth-none",
        subject,
        `${p.name} let the session in without asking for any password under sslmode ${modes(none)} (trust).`,
      );
  },
});
