// The TLS handshake after 'S': it completes, or OpenSSL's reason and libpq's rendering of it.
import { endpointLabel } from "../../probe/label.js";
import { defineRule } from "../rule.js";
import { libpqSays, tlsEndpoints } from "./text.js";

export default defineRule({
  id: "server/handshake",
  family: "server",
  codes: {
    "tls.handshake-failed": {
      severity: "error",
      title: "TLS handshake failed",
      description: "The server answered 'S' but the TLS handshake did not complete.",
      hint: "Read OpenSSL's reason: a protocol-version mismatch, no shared cipher, or a server that wants a client certificate.",
    },
  },
  check(facts, { report }) {
    for (const ep of tlsEndpoints(facts)) {
      const tls = ep.tls;
      if (!tls || tls.ok || !tls.failure) continue;
      const s = endpointLabel(ep);
      const f = tls.failure;
      const what = f.kind === "timeout" ? `stalled: no handshake within ${tls.durationMs} ms` : f.reason;
      report("tls.handshake-failed", s, `The TLS handshake with ${s} failed: ${what}.${libpqSays(f.libpqMessage)}`, {
        evidence: { kind: f.kind, code: f.code ?? null, sni: tls.sni },
      });
    }
  },
});
