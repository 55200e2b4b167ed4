import rule from "../../../../src/rules/files/crl.js";
import { client, filesFacts, P, server, W } from "../../../helpers/pki-facts.js";
import { describeRule } from "../../../helpers/rules.js";

const root = (extra: Record<string, string>) => ({ params: { sslrootcert: P("root-ca.crt"), ...extra } });

describeRule(rule, [
  {
    name: "the lab's root CRL: what it says",
    facts: filesFacts(root({ sslcrl: P("root.crl") })),
    expect: [{ code: "crl.summary", subject: "sslcrl", message: "2 revoked serials" }],
  },
  {
    name: "a missing sslcrl is ignored silently, and takes sslcrldir with it",
    facts: filesFacts(root({ sslcrl: W("nope.crl"), sslcrldir: P("crldir") })),
    expect: [{ code: "crl.ignored", message: ["does not exist", "is not used either"] }],
  },
  {
    // What the CRL would say is still shown: it is the CA's list, only in the wrong encoding.
    name: "a DER CRL is ignored silently",
    facts: filesFacts(root({ sslcrl: W("root.der.crl") })),
    expect: [{ code: "crl.ignored", message: "is DER", hint: "openssl crl -inform DER" }, "crl.summary"],
  },
  {
    name: "a PEM file without a CRL is ignored silently",
    facts: filesFacts(root({ sslcrl: W("not-a-crl.pem") })),
    expect: [{ code: "crl.ignored", message: "holds a certificate;" }],
  },
  {
    name: "a stale CRL fails every verification that needs it",
    facts: filesFacts(root({ sslcrl: P("root-stale.crl") })),
    expect: ["crl.summary", { code: "crl.expired", message: "CRL has expired" }],
  },
  {
    name: "a CRL from the future",
    facts: filesFacts(root({ sslcrl: P("root-future.crl") })),
    expect: ["crl.summary", { code: "crl.not-yet-valid", message: "CRL is not yet valid" }],
  },
  {
    name: "a CRL by a CA sslrootcert does not hold",
    facts: filesFacts(root({ sslcrl: P("other-ca.crl") })),
    expect: ["crl.summary", { code: "crl.issuer-unknown", message: "dbdoctor unrelated CA" }],
  },
  {
    name: "a CRL whose signature does not verify",
    facts: filesFacts(root({ sslcrl: W("bad-sig.crl") })),
    expect: ["crl.summary", "crl.bad-signature"],
  },
  {
    name: "the CRL revokes the client certificate and the --server-cert",
    facts: filesFacts({
      ...server("server-revoked.crt", {}, { sslcrl: P("root.crl") }),
      params: client(P("client-revoked.crt"), P("client-revoked.key"), { sslcrl: P("root.crl") }),
    }),
    expect: [
      "crl.summary",
      { code: "crl.revokes", message: ["revokes", 'sslcert "'] },
      { code: "crl.revokes", message: 'server-cert "' },
    ],
  },
  {
    name: "sslcrldir with CRLs under names OpenSSL never looks for",
    facts: filesFacts(root({ sslcrldir: W("crl-unhashed") })),
    expect: [
      { code: "crl.dir-unhashed", hint: "openssl rehash" },
      { code: "crl.dir-no-crl", message: "holds no rehashed CRL" },
    ],
  },
  {
    name: "an sslcrldir that does not exist still switches CRL checking on",
    facts: filesFacts(root({ sslcrldir: W("no-such-dir") })),
    expect: [{ code: "crl.dir-no-crl", message: "does not exist" }],
  },
  {
    name: "the lab's rehashed CRL directory",
    facts: filesFacts(root({ sslcrldir: P("crldir") })),
    expect: [],
  },
]);
