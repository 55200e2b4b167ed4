import rule from "../../../../src/rules/server/handshake.js";
import { describeRule } from "../../../helpers/rules.js";
import { endpoint, probed, tlsOk } from "./fixtures.js";

const failed = endpoint({
  tls: {
    ok: false,
    durationMs: 3,
    sni: "db.example.com",
    alpnOffered: [],
    failure: {
      kind: "alert",
      code: "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION",
      reason: "tlsv1 alert protocol version",
      libpqMessage: "SSL error: tlsv1 alert protocol version",
    },
  },
});

describeRule(rule, [
  { name: "a handshake that completes", facts: probed([endpoint({ tls: tlsOk })]), expect: [] },
  {
    name: "a refused handshake, with OpenSSL's reason and libpq's text",
    facts: probed([failed]),
    expect: [{ code: "tls.handshake-failed", message: ["tlsv1 alert protocol version", 'libpq: "SSL error:'] }],
  },
  {
    name: "a stalled one",
    facts: probed([
      endpoint({
        tls: {
          ok: false,
          durationMs: 5000,
          sni: null,
          alpnOffered: [],
          failure: { kind: "timeout", reason: "timeout", libpqMessage: "" },
        },
      }),
    ]),
    expect: [{ code: "tls.handshake-failed", message: "stalled: no handshake within 5000 ms" }],
  },
  {
    name: "under sslmode=disable libpq never starts TLS",
    facts: probed([failed], { command: "check", sslmode: "disable" }),
    expect: [],
  },
]);
