import rule from "../../../../src/rules/server/no-root.js";
import { describeRule } from "../../../helpers/rules.js";
import { endpoint, probed, tlsOk } from "./fixtures.js";

const noRoot = endpoint({
  tls: tlsOk,
  chain: { trust: { kind: "none", reason: "no root certificate given (sslrootcert)" }, ok: null },
});

describeRule(rule, [
  {
    name: "no root file: the chain was not judged, and silence must not read as a verified chain",
    facts: probed([noRoot]),
    expect: [{ code: "server.cert-no-root", message: "was not judged: no root certificate given (sslrootcert)" }],
  },
  {
    name: "a judged chain",
    facts: probed([endpoint({ tls: tlsOk, chain: { trust: { kind: "file", path: "/ca.crt" }, ok: true } })]),
    expect: [],
  },
  { name: "not under sslmode=disable", facts: probed([noRoot], { command: "check", sslmode: "disable" }), expect: [] },
]);
