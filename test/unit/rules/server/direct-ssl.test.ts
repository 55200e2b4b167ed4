import rule from "../../../../src/rules/server/direct-ssl.js";
import { describeRule } from "../../../helpers/rules.js";
import { endpoint, probed, tlsOk } from "./fixtures.js";

const direct = (configured: boolean, supported: boolean | null) =>
  probed([endpoint({ tls: tlsOk, direct: { configured, supported, durationMs: 1, detail: "x" } })]);

describeRule(rule, [
  {
    name: "configured and not supported: an error",
    facts: direct(true, false),
    expect: ["server.direct-ssl-unsupported"],
  },
  {
    name: "not configured, not supported: worth knowing",
    facts: direct(false, false),
    expect: ["server.direct-ssl-unavailable"],
  },
  { name: "undecided: nothing", facts: direct(true, null), expect: [] },
  { name: "supported: nothing", facts: direct(true, true), expect: [] },
]);
