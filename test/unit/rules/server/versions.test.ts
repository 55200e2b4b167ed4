import type { VersionFacts } from "../../../../src/probe/types.js";
import rule from "../../../../src/rules/server/versions.js";
import { describeRule } from "../../../helpers/rules.js";
import { endpoint, probed, tlsOk } from "./fixtures.js";

const versions = (over: Partial<VersionFacts> = {}): VersionFacts => ({
  results: {
    TLSv1: { status: "refused" },
    "TLSv1.1": { status: "refused" },
    "TLSv1.2": { status: "accepted" },
    "TLSv1.3": { status: "accepted" },
  },
  client: { min: "TLSv1.2", max: null, source: "default" },
  common: ["TLSv1.2", "TLSv1.3"],
  ...over,
});

describeRule(rule, [
  { name: "TLS 1.2 and 1.3 only", facts: probed([endpoint({ tls: tlsOk, versions: versions() })]), expect: [] },
  {
    name: "old protocols, an unmet range, untestable ones",
    facts: probed([
      endpoint({
        tls: tlsOk,
        versions: versions({
          results: {
            TLSv1: { status: "accepted" },
            "TLSv1.1": { status: "untestable", detail: "could not test: client library refuses (x)" },
            "TLSv1.2": { status: "refused" },
            "TLSv1.3": { status: "refused" },
          },
          common: [],
        }),
      }),
    ]),
    expect: [
      { code: "tls.old-protocol-accepted", message: "accepts TLSv1" },
      { code: "tls.version-range-unmet", message: "the client allows only TLSv1.2 to TLSv1.3" },
      { code: "tls.version-untestable", message: "client library refuses" },
    ],
  },
  {
    name: "no scan without 'S'",
    facts: probed([
      endpoint({
        sslRequest: { reply: "N", durationMs: 1, byte: "4e", unencryptedBytesAfterS: 0 },
        versions: versions({ results: { ...versions().results, TLSv1: { status: "accepted" } } }),
      }),
    ]),
    expect: [],
  },
]);
