// libpq's verify-full host-name check (src/pki/hostname.ts, libpq's own rules and texts) on the server's leaf, for
// --server-cert and for a probed server: a mismatch is refused with libpq's message.
import { defineRule } from "../rule.js";
import { serverChains } from "./sets.js";

export default defineRule({
  id: "certs/hostname",
  family: "certs",
  codes: {
    "tls.hostname-mismatch": {
      severity: "error",
      title: "The server certificate does not name the host",
      description:
        "Under verify-full libpq compares the host parameter with the certificate's SANs (or CN) by its own rules and refuses the connection.",
      hint: "Connect with a host name the certificate names, or re-issue the certificate with the host in its subjectAltName.",
    },
    "tls.hostname-ok": {
      severity: "info",
      title: "The server certificate names the host",
      description:
        "libpq's verify-full host-name check passes for --server-cert. A probed server's endpoint facts show the same.",
    },
  },
  check(facts, { report }) {
    for (const chain of serverChains(facts)) {
      const h = chain.hostname;
      if (!h) continue;
      // The file's subject is the parameter the check is about; a probed endpoint names itself.
      const subject = chain.from === "file" ? "host" : chain.subject;
      if (h.ok) {
        if (chain.from === "file")
          report("tls.hostname-ok", subject, `The certificate names "${h.host}" (matched "${h.matched ?? ""}").`, {
            evidence: { host: h.host },
          });
        continue;
      }
      const names = chain.certs[0]?.names ?? [];
      report(
        "tls.hostname-mismatch",
        subject,
        `Under verify-full libpq refuses host "${h.host}" for ${chain.label}: ${h.message ?? "no name matches"}`,
        {
          hint: `Connect with a name the certificate carries${names.length ? ` (${names.join(", ")})` : ""}, or re-issue it with "${h.host || "HOST"}" in its subjectAltName.`,
          evidence: { host: h.host, names },
        },
      );
    }
  },
});
