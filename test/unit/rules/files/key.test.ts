import { LAB_KEY_PASSPHRASE } from "../../../../scripts/gen-certs.js";
import rule from "../../../../src/rules/files/key.js";
import { client, filesFacts, hasOpenssl, P, W } from "../../../helpers/pki-facts.js";
import { describeRule, type RuleCase } from "../../../helpers/rules.js";

if (!hasOpenssl) console.warn("skipping the legacy-encryption case of files/key: no openssl binary to build it");
const legacy: RuleCase[] = [
  {
    name: "an encryption OpenSSL 3 no longer decrypts (PBE-MD5-DES)",
    facts: filesFacts({ params: client(P("client-good.crt"), W("legacy.key")), sslpassword: "x" }),
    expect: [{ code: "key.unsupported-encryption", message: "OpenSSL cannot decrypt it" }],
  },
];

describeRule(rule, [
  {
    name: "the key belongs to the certificate, and both encrypted forms load with the right passphrase",
    facts: filesFacts({
      params: client(P("client-good.crt"), P("client-good-pkcs8-encrypted.key")),
      sslpassword: LAB_KEY_PASSPHRASE,
    }),
    expect: [],
  },
  {
    name: "traditional PEM encryption with the right passphrase",
    facts: filesFacts({
      params: client(P("client-good.crt"), P("client-good-traditional-encrypted.key")),
      sslpassword: LAB_KEY_PASSPHRASE,
    }),
    expect: [],
  },
  {
    name: "sslkey set but no client certificate loaded",
    facts: filesFacts({ params: client(W("nope.crt"), P("client-good.key")) }),
    expect: [{ code: "key.unused", message: "never reads the key" }],
  },
  {
    name: "a key readable by others: libpq's refusal, in its words",
    facts: filesFacts({ params: client(P("client-good.crt"), W("open.key")) }),
    expect: [{ code: "key.permissions", message: ["has group or world access", "0644"], hint: 'chmod 0600 "' }],
  },
  {
    name: "a DER key loads (libpq falls back to DER for keys)",
    facts: filesFacts({ params: client(P("client-good.crt"), P("client-good.der.key")) }),
    expect: ["key.der"],
  },
  {
    name: "a key file that also holds the certificate",
    facts: filesFacts({ params: client(P("client-good.crt"), W("key-and-cert.key")) }),
    expect: [{ code: "key.extra-objects", message: "also holds" }],
  },
  {
    name: "an encrypted key and no sslpassword",
    facts: filesFacts({ params: client(P("client-good.crt"), P("client-good-pkcs8-encrypted.key")) }),
    expect: [{ code: "key.encrypted-no-password", message: ["PKCS#8", "Enter PEM pass phrase"] }],
  },
  {
    name: "the wrong passphrase",
    facts: filesFacts({
      params: client(P("client-good.crt"), P("client-good-traditional-encrypted.key")),
      sslpassword: "wrong",
    }),
    expect: [{ code: "key.bad-decrypt", message: ": bad decrypt" }],
  },
  ...(hasOpenssl ? legacy : []),
  {
    name: "a public key where the private key belongs",
    facts: filesFacts({ params: client(P("client-good.crt"), W("public-key.pem")) }),
    expect: [{ code: "key.unreadable", message: ["could not load private key file", "and no private key"] }],
  },
  {
    name: "another certificate's key: libpq's mismatch",
    facts: filesFacts({ params: client(P("client-good.crt"), P("client-other-cn.key")) }),
    expect: [{ code: "key.mismatch", message: "certificate does not match private key file" }],
  },
  {
    name: "the key belongs to the second certificate of sslcert, but libpq uses the first",
    facts: filesFacts({ params: client(W("wrong-order.crt"), P("client-good.key")) }),
    expect: [{ code: "cert.client-wrong-order", subject: "sslcert", message: "belongs to certificate 2" }],
  },
]);
