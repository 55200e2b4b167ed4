// The TLS versions the server accepts, one by one, against the client's ssl_min/max_protocol_version.
import { endpointLabel } from "../../probe/label.js";
import type { TlsVersion } from "../../probe/types.js";
import { defineRule } from "../rule.js";
import { tlsEndpoints } from "./text.js";

export default defineRule({
  id: "server/versions",
  family: "server",
  codes: {
    "tls.old-protocol-accepted": {
      severity: "warning",
      title: "Server accepts TLS 1.0 or 1.1",
      description: "The server completes handshakes with deprecated protocol versions (RFC 8996).",
      hint: "Set ssl_min_protocol_version = 'TLSv1.2' in postgresql.conf (the default since PostgreSQL 14).",
    },
    "tls.version-range-unmet": {
      severity: "error",
      title: "No TLS version in common",
      description:
        "None of the TLS versions the client allows (ssl_min/max_protocol_version) is accepted by the server.",
      hint: "Widen ssl_min_protocol_version / ssl_max_protocol_version on the client, or the server's range.",
    },
    "tls.version-untestable": {
      severity: "info",
      title: "TLS version could not be tested",
      description: "Our own TLS library refuses to offer that version, so whether the server accepts it is unknown.",
      hint: "Test it with a TLS library that still speaks it, e.g. openssl s_client -tls1 -starttls postgres.",
    },
  },
  check(facts, { report }) {
    for (const ep of tlsEndpoints(facts)) {
      const v = ep.versions;
      if (!v || ep.sslRequest?.reply !== "S") continue;
      const s = endpointLabel(ep);
      const versions = Object.keys(v.results) as TlsVersion[];
      const old = (["TLSv1", "TLSv1.1"] as const).filter((x) => v.results[x].status === "accepted");
      if (old.length)
        report("tls.old-protocol-accepted", s, `${s} accepts ${old.join(" and ")}.`, {
          evidence: { versions: [...old] },
        });
      const accepted = versions.filter((x) => v.results[x].status === "accepted");
      if (v.common !== null && v.common.length === 0 && accepted.length > 0)
        report(
          "tls.version-range-unmet",
          s,
          `${s} accepts ${accepted.join(", ")}, but the client allows only ${v.client.min} to ${v.client.max ?? "TLSv1.3"} (${v.client.source}).`,
          { evidence: { accepted, clientMin: v.client.min, clientMax: v.client.max } },
        );
      const untestable = versions.filter((x) => v.results[x].status === "untestable");
      const first = untestable[0];
      if (first)
        report(
          "tls.version-untestable",
          s,
          `Could not test ${untestable.join(", ")} against ${s}: ${v.results[first].detail ?? "client library refuses"}.`,
        );
    }
  },
});
