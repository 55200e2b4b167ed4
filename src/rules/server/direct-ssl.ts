// PostgreSQL 17's direct SSL (sslnegotiation=direct): an error when the client is configured for it and the server
// does not take it, otherwise worth knowing.
import { endpointLabel } from "../../probe/label.js";
import { defineRule } from "../rule.js";
import { tlsEndpoints } from "./text.js";

export default defineRule({
  id: "server/direct-ssl",
  family: "server",
  codes: {
    "server.direct-ssl-unsupported": {
      severity: "error",
      title: "Direct SSL configured but not supported",
      description:
        "sslnegotiation=direct is set, but the server does not complete a direct TLS handshake with ALPN postgresql (it needs PostgreSQL 17+).",
      hint: "Remove sslnegotiation=direct (use the default postgres negotiation), or upgrade the server to PostgreSQL 17.",
    },
    "server.direct-ssl-unavailable": {
      severity: "info",
      title: "Direct SSL not available",
      description:
        "The server does not accept PG17 direct SSL (sslnegotiation=direct); the default negotiation works as before.",
      hint: "Nothing to do unless you want sslnegotiation=direct; that needs a PostgreSQL 17+ server with ssl = on.",
    },
  },
  check(facts, { report }) {
    for (const ep of tlsEndpoints(facts)) {
      const d = ep.direct;
      if (d?.supported !== false) continue;
      const s = endpointLabel(ep);
      const why = d.libpqMessage ?? d.detail ?? "handshake failed";
      if (d.configured)
        report(
          "server.direct-ssl-unsupported",
          s,
          `sslnegotiation=direct is set but ${s} does not accept direct SSL: ${why}.`,
        );
      else report("server.direct-ssl-unavailable", s, `${s} does not accept PG17 direct SSL (${why}).`);
    }
  },
});
