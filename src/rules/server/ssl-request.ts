// The server's answer to the SSLRequest, as libpq reads it: 'S' (then nothing before the TLS handshake), 'N', an
// ErrorResponse, anything else, or nothing at all.
import { endpointLabel } from "../../probe/label.js";
import { defineRule } from "../rule.js";
import { libpqSays, probedEndpoints, sslRequired } from "./text.js";

export default defineRule({
  id: "server/ssl-request",
  family: "server",
  codes: {
    "server.no-reply": {
      severity: "error",
      title: "No answer to the SSLRequest",
      description:
        "The server accepted the TCP connection but did not answer the 8-byte SSLRequest within the timeout.",
      hint: "The port may belong to something that is not PostgreSQL (or a proxy that waits for the client); check host and port.",
    },
    "server.closed-during-ssl-request": {
      severity: "error",
      title: "Connection closed at the SSLRequest",
      description: "The server closed the connection instead of answering the SSLRequest.",
      hint: "Check the server log; a max_connections limit, a proxy or a non-PostgreSQL service on the port close like this.",
    },
    "server.ssl-not-supported": {
      severity: "error",
      title: "Server does not support SSL",
      description:
        "The server answered 'N' to the SSLRequest: ssl = off, or a build without SSL, or a pooler without TLS.",
      hint: "Enable TLS on the server (ssl = on with ssl_cert_file and ssl_key_file) or on the pooler in front of it.",
    },
    "server.ssl-error-response": {
      severity: "error",
      title: "Error response to the SSLRequest",
      description:
        "The server answered the SSLRequest with an ErrorResponse ('E'); very old servers and some proxies do.",
      hint: "Check what listens on the port; a PostgreSQL server since 7.1 answers 'S' or 'N'.",
    },
    "server.ssl-invalid-response": {
      severity: "error",
      title: "Invalid answer to the SSLRequest",
      description: "The first byte of the answer is neither 'S', 'N' nor 'E': the port speaks another protocol.",
      hint: "Point host and port at PostgreSQL (or at a PostgreSQL-aware pooler), not at an HTTP or other service.",
    },
    "server.unencrypted-data-after-ssl-response": {
      severity: "error",
      title: "Unencrypted data after 'S'",
      description:
        "Bytes arrived after the 'S' before any TLS was spoken. libpq (since 14.1/13.5/12.9) refuses this: it is the shape of a man-in-the-middle injection (CVE-2021-23222) or a broken proxy.",
      hint: "Check every proxy and load balancer between client and server; a correct server sends nothing after 'S'.",
    },
  },
  check(facts, { report }) {
    const required = sslRequired(facts);
    for (const ep of probedEndpoints(facts)) {
      const r = ep.sslRequest;
      if (!r) continue;
      const s = endpointLabel(ep);
      const evidence = { reply: r.reply, byte: r.byte ?? null, durationMs: r.durationMs };
      switch (r.reply) {
        case "timeout":
          report(
            "server.no-reply",
            s,
            `${s} accepted the TCP connection but sent nothing within ${r.durationMs} ms after the SSLRequest.`,
            { evidence },
          );
          break;
        case "closed":
        case "socket-error":
          report(
            "server.closed-during-ssl-request",
            s,
            `${s} closed the connection instead of answering the SSLRequest.${libpqSays(r.libpqMessage)}`,
            { evidence },
          );
          break;
        case "N":
          if (required)
            report(
              "server.ssl-not-supported",
              s,
              `${s} answered 'N' to the SSLRequest: it does not offer TLS.${libpqSays(r.libpqMessage)}`,
              { evidence },
            );
          break;
        case "E": {
          const text = r.errorResponse?.message;
          report(
            "server.ssl-error-response",
            s,
            `${s} answered the SSLRequest with an ErrorResponse${text ? ` ("${text}")` : ""}.${libpqSays(r.libpqMessage)}`,
            { evidence: { ...evidence, serverCode: r.errorResponse?.code ?? null } },
          );
          break;
        }
        case "other":
          report(
            "server.ssl-invalid-response",
            s,
            `${s} answered the SSLRequest with byte 0x${r.byte} (bytes ${r.sampleHex ?? ""}), not 'S', 'N' or 'E'.${libpqSays(r.libpqMessage)}`,
            { evidence },
          );
          break;
        case "S":
          if (r.unencryptedBytesAfterS > 0)
            report(
              "server.unencrypted-data-after-ssl-response",
              s,
              `${s} sent ${r.unencryptedBytesAfterS} unencrypted byte(s) right after 'S' (${r.sampleHex ?? ""}), before any TLS.${libpqSays(r.libpqMessage)}`,
              { evidence: { ...evidence, extraBytes: r.unencryptedBytesAfterS } },
            );
          break;
      }
    }
  },
});
