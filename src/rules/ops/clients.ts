// Who else uses SkillFlaw's database, as SkillFlaw's own role sees pg_stat_activity and pg_stat_ssl: sessions whose
// details that role may not read, and TCP sessions without SSL.
import type { ClientsFacts } from "../../ops/types.js";
import type { Facts } from "../facts.js";
import { detectedPooler } from "../pooler/target.js";
import { defineRule } from "../rule.js";
import { skillflawOps } from "./target.js";

/** The clients facts, when dbdoctor instances read them. */
export function clientsOf(facts: Facts): ClientsFacts | undefined {
  const live = skillflawOps(facts)?.live;
  if (live?.status !== "completed" || live.value.clients?.status !== "completed") return undefined;
  return live.value.clients.value;
}

export default defineRule({
  id: "ops/clients",
  family: "ops",
  codes: {
    "ops.clients-hidden": {
      severity: "info",
      title: "Other users' sessions are hidden from this role",
      description:
        "Without superuser or the pg_read_all_stats role, pg_stat_activity shows another user's sessions with client_addr, state and query NULL (query reads <insufficient privilege>), and pg_stat_ssl hides their SSL details. They are counted but cannot be told apart.",
      hint: "GRANT pg_read_all_stats TO <monitoring role>, and run dbdoctor instances as that role to see every client.",
    },
    "ops.clients-unencrypted": {
      severity: "warning",
      title: "Clients of the SkillFlaw database connect without SSL",
      description:
        "pg_stat_ssl shows TCP sessions on SkillFlaw's database that are not encrypted: another instance or tool uses sslmode=disable/allow/prefer, or a server that offers no SSL.",
      hint: "Give every instance the same URL with sslmode=verify-full (and sslrootcert), and use hostssl lines in pg_hba.conf.",
    },
  },
  check(facts, { report }) {
    const c = clientsOf(facts);
    if (!c) return;
    if (c.hiddenSessions > 0 && !c.canReadAllStats)
      report(
        "ops.clients-hidden",
        c.database,
        `${c.hiddenSessions} of ${c.total} other session${c.total === 1 ? "" : "s"} on database "${c.database}" belong to other users: without pg_read_all_stats their client address, state, query and SSL status are hidden (NULL) from this role.`,
        { evidence: { hidden: c.hiddenSessions, total: c.total } },
      );
    // Behind a pooler the server's sessions are the pooler's own links: their SSL says nothing of the clients' (the
    // pooler family reports that link; the clients' TLS ends at the pooler).
    if (detectedPooler(facts)) return;
    // Unix-socket sessions (no client address) never use SSL, and hidden rows cannot be told apart.
    const plain = c.groups.filter((g) => !g.hidden && g.clientAddr !== null && g.ssl === false);
    if (plain.length === 0) return;
    const n = plain.reduce((s, g) => s + g.count, 0);
    const who = [
      ...new Set(
        plain.map((g) => `${g.clientAddr} (${g.usename ?? "?"}${g.applicationName ? `, ${g.applicationName}` : ""})`),
      ),
    ];
    report(
      "ops.clients-unencrypted",
      c.database,
      `${n} TCP session${n === 1 ? "" : "s"} on database "${c.database}" ${n === 1 ? "is" : "are"} not encrypted: ${who.join(", ")}.`,
      { evidence: { clients: who } },
    );
  },
});
