import rule from "../../../../src/rules/server/connection.js";
import { describeRule } from "../../../helpers/rules.js";
import { endpoint, probed, SUBJECT } from "./fixtures.js";

const refused = {
  address: "::1",
  family: 6 as const,
  outcome: "refused" as const,
  durationMs: 0,
  code: "ECONNREFUSED",
};

describeRule(rule, [
  { name: "a reachable server", facts: probed([endpoint()]), expect: [] },
  {
    name: "a name that does not resolve, with libpq's text",
    facts: probed([
      endpoint({
        address: undefined,
        dns: {
          outcome: "not-found",
          durationMs: 3,
          addresses: [],
          code: "ENOTFOUND",
          libpqMessage: 'could not translate host name "db.example.com" to address: Name or service not known',
        },
        tcp: undefined,
        sslRequest: undefined,
      }),
    ]),
    expect: [{ code: "server.dns-failed", subject: "db.example.com:5432", message: "could not translate host name" }],
  },
  {
    name: "one address failed but another worked: information",
    facts: probed([endpoint({ tcp: [refused, { address: "10.0.0.7", family: 4, outcome: "ok", durationMs: 1 }] })]),
    expect: [{ code: "server.address-failed", subject: SUBJECT, message: "[::1]:5432 of db.example.com failed" }],
  },
  {
    name: "the only address refused",
    facts: probed([endpoint({ address: undefined, tcp: [refused], sslRequest: undefined })]),
    expect: [{ code: "server.connection-refused", message: "[::1]:5432 refused the connection" }],
  },
  {
    name: "a connect that timed out",
    facts: probed([
      endpoint({
        address: undefined,
        tcp: [{ address: "10.0.0.7", family: 4, outcome: "timeout", durationMs: 5000 }],
        sslRequest: undefined,
      }),
    ]),
    expect: [{ code: "server.connect-timeout", message: "within 5000 ms" }],
  },
  {
    name: "an unreachable address",
    facts: probed([
      endpoint({
        address: undefined,
        tcp: [{ address: "10.0.0.7", family: 4, outcome: "unreachable", durationMs: 1, code: "EHOSTUNREACH" }],
        sslRequest: undefined,
      }),
    ]),
    expect: [{ code: "server.unreachable", message: "EHOSTUNREACH" }],
  },
  {
    name: "a skipped (Unix-socket) endpoint gives nothing",
    facts: probed([{ host: "/tmp", port: 5432, skipped: "Unix-domain socket" }]),
    expect: [],
  },
]);
