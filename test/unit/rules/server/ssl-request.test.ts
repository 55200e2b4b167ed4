import type { SslRequestFacts } from "../../../../src/probe/types.js";
import rule from "../../../../src/rules/server/ssl-request.js";
import { describeRule } from "../../../helpers/rules.js";
import { endpoint, probed } from "./fixtures.js";

const reply = (r: Partial<SslRequestFacts>) =>
  endpoint({ sslRequest: { reply: "S", durationMs: 2, unencryptedBytesAfterS: 0, ...r } });

describeRule(rule, [
  { name: "'S' and nothing more", facts: probed([reply({})]), expect: [] },
  {
    name: "'N' is a finding for `dbdoctor server`, which asks about TLS",
    facts: probed([reply({ reply: "N", byte: "4e" })]),
    expect: [{ code: "server.ssl-not-supported", message: "does not offer TLS" }],
  },
  {
    name: "... and under sslmode=require",
    facts: probed([reply({ reply: "N", byte: "4e" })], { command: "check", sslmode: "require" }),
    expect: ["server.ssl-not-supported"],
  },
  {
    name: "... but not under prefer, where the sslmode matrix gives the verdict",
    facts: probed([reply({ reply: "N", byte: "4e" })], { command: "check", sslmode: "prefer" }),
    expect: [],
  },
  {
    name: "nothing within the timeout",
    facts: probed([reply({ reply: "timeout", durationMs: 5000 })]),
    expect: [{ code: "server.no-reply", message: "sent nothing within 5000 ms" }],
  },
  {
    name: "closed instead of answering",
    facts: probed([reply({ reply: "closed", libpqMessage: "server closed the connection unexpectedly" })]),
    expect: [
      { code: "server.closed-during-ssl-request", message: 'libpq: "server closed the connection unexpectedly"' },
    ],
  },
  {
    name: "an ErrorResponse",
    facts: probed([
      reply({ reply: "E", byte: "45", errorResponse: { code: "08P01", message: "unsupported frontend protocol" } }),
    ]),
    expect: [{ code: "server.ssl-error-response", message: "unsupported frontend protocol" }],
  },
  {
    name: "another protocol's first byte",
    facts: probed([reply({ reply: "other", byte: "48", sampleHex: "485454502f" })]),
    expect: [{ code: "server.ssl-invalid-response", message: "byte 0x48" }],
  },
  {
    name: "bytes injected after 'S' (CVE-2021-23222)",
    facts: probed([reply({ unencryptedBytesAfterS: 5, sampleHex: "53aabbccdd" })]),
    expect: [{ code: "server.unencrypted-data-after-ssl-response", message: "5 unencrypted byte(s)" }],
  },
]);
