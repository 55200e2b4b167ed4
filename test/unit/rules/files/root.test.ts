import { join } from "node:path";
import rule from "../../../../src/rules/files/root.js";
import { BUNDLES, filesFacts, hasOpenssl, P, server, W } from "../../../helpers/pki-facts.js";
import { describeRule, type RuleCase } from "../../../helpers/rules.js";

if (!hasOpenssl) console.warn("skipping the no-keyCertSign case of files/root: no openssl binary to build it");
const noCertSign: RuleCase[] = [
  {
    name: "a CA whose key usage lacks keyCertSign is no issuer",
    facts: filesFacts({ params: { sslrootcert: W("no-certsign-ca.crt") } }),
    expect: [{ code: "ca.no-keycertsign", message: "without keyCertSign" }, "ca.summary"],
  },
];

describeRule(rule, [
  {
    name: "one root: the summary, and under `certs` what cannot be checked without the server's certificate",
    facts: filesFacts({ params: { sslrootcert: P("root-ca.crt") }, command: "certs" }),
    expect: [
      { code: "ca.summary", message: "1 root (O=dbdoctor lab, CN=dbdoctor lab root CA), 0 intermediates" },
      "ca.server-unknown",
    ],
  },
  {
    name: "`check` does not say it (the probe judges the chain)",
    facts: filesFacts({ params: { sslrootcert: P("root-ca.crt") } }),
    expect: ["ca.summary"],
  },
  {
    name: "with --server-cert there is nothing unknown",
    facts: filesFacts({ ...server("server-good.crt"), command: "certs" }),
    expect: ["ca.summary"],
  },
  {
    name: "a bundle of root and intermediate",
    facts: filesFacts({ params: { sslrootcert: W("bundle.crt") } }),
    expect: [
      { code: "ca.summary", message: ["1 root", "1 intermediate"] },
      { code: "ca.unused", message: ["holds 2 certificates", "0 expired"] },
    ],
  },
  {
    name: "the real RDS bundle alone: 115 certificates, 28 expired regional roots counted, not judged",
    facts: filesFacts({ params: { sslrootcert: join(BUNDLES, "rds-ca-bundle.pem") }, command: "certs" }),
    expect: [
      { code: "ca.summary", message: ["93 roots", "and 90 more", "22 intermediates"] },
      { code: "ca.unused", severity: "info", message: ["holds 115 certificates", "28 expired"] },
      "ca.server-unknown",
    ],
  },
  {
    name: "RDS bundle + the lab root, a chain verifying through it: the root in use is named, the rest counted",
    facts: filesFacts({ ...server("server-good.crt", {}, { sslrootcert: W("rds+lab-root.crt") }) }),
    expect: [
      "ca.summary",
      {
        code: "ca.unused",
        message: ["1 of its 116 certificates verify the server's chain", "dbdoctor lab root CA", "28 expired"],
      },
    ],
  },
  {
    name: "only expired roots left (like the deprecated rds-combined-ca-bundle.pem): no usable root",
    facts: filesFacts({ params: { sslrootcert: W("rds-expired-only.crt") } }),
    expect: [
      "ca.summary",
      { code: "ca.unused", message: "28 expired" },
      { code: "ca.no-usable-root", message: "None of the" },
    ],
  },
  {
    name: "the server's own certificate in the root file anchors nothing",
    facts: filesFacts({ params: { sslrootcert: P("server-good.crt") } }),
    expect: [
      { code: "ca.not-ca", message: "not a CA" },
      { code: "ca.summary", message: "0 roots" },
    ],
  },
  {
    name: "an intermediate alone: libpq does not accept partial chains",
    facts: filesFacts({ params: { sslrootcert: P("intermediate-ca.crt") } }),
    expect: [
      { code: "ca.intermediate-only", message: "unable to get issuer certificate", hint: "dbdoctor lab root CA" },
      "ca.summary",
    ],
  },
  ...(hasOpenssl ? noCertSign : []),
  {
    name: "under disable the root file is not read",
    facts: filesFacts({ params: { sslmode: "disable", sslrootcert: P("root-ca.crt") } }),
    expect: [],
  },
]);
