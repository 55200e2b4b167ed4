// The managed service the host name points at: what it asks of the client (provider-advice.ts), whether the
// configured sslmode falls short of it, and a transaction-mode pooler, which SkillFlaw's session state does not survive.
import { defineRule } from "../rule.js";
import { adviceFor } from "./provider-advice.js";
import { skillflawOps } from "./target.js";

export default defineRule({
  id: "ops/cloud-provider",
  family: "ops",
  codes: {
    "ops.cloud-provider": {
      severity: "info",
      title: "Cloud provider recognised from the host name",
      description:
        "The host name matches a managed PostgreSQL service. The message says which CA bundle its servers chain to, where to get it, and what its host names, certificates, SNI and poolers require. Recognised from the name only; dbdoctor makes no call to the provider.",
      hint: "Use sslmode=verify-full with the provider's CA bundle as sslrootcert.",
    },
    "ops.cloud-sslmode": {
      severity: "warning",
      title: "The configured sslmode misses what the provider needs",
      description:
        "The provider requires or routes by TLS (Neon needs SNI, most providers refuse plaintext), or offers a verifiable certificate that the configured sslmode does not check.",
      hint: "Use sslmode=verify-full with the provider's CA bundle (sslrootcert=...), or what the message names.",
    },
    "ops.cloud-pooler-transaction": {
      severity: "warning",
      title: "Transaction-mode pooler",
      description:
        "The port is the provider's transaction-mode pooler: every transaction may run on another server session. Session state does not survive: SkillFlaw's session-level migration advisory lock, SET commands, and psycopg's automatically prepared statements.",
      hint: "Point SkillFlaw at the session-mode pooler or the direct connection (Supabase: port 5432).",
    },
  },
  check(facts, { report }) {
    const p = skillflawOps(facts)?.provider;
    if (!p) return;
    const a = adviceFor(p, facts.client);
    const subject = `${p.host}:${p.port}`;
    const verify =
      p.verifyFull === "yes"
        ? "verify-full can succeed"
        : p.verifyFull === "no"
          ? "verify-full cannot succeed here"
          : "verify-full: check it with dbdoctor check";
    report(
      "ops.cloud-provider",
      subject,
      `${p.host} looks like ${p.name}${p.guess ? " (a guess from the host name)" : ""}, endpoint ${p.endpoint}. CA: ${a.ca}. Names: ${a.names}. ${[...a.notes, verify].join("; ")}.`,
      { evidence: { provider: p.id, endpoint: p.endpoint, guess: p.guess, verifyFull: p.verifyFull } },
    );
    if (a.sslmodeProblem)
      report("ops.cloud-sslmode", subject, `${p.name}: ${a.sslmodeProblem.message}.`, {
        hint: a.sslmodeProblem.hint,
        evidence: { provider: p.id },
      });
    if (a.transactionPooler)
      report(
        "ops.cloud-pooler-transaction",
        subject,
        `${a.transactionPooler}: SkillFlaw's session-level migration advisory lock (pg_try_advisory_lock), SET commands and psycopg's prepared statements do not survive between transactions there.`,
        { evidence: { provider: p.id, port: p.port } },
      );
  },
});
