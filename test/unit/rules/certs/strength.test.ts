import type { CertFacts } from "../../../../src/probe/types.js";
import rule from "../../../../src/rules/certs/strength.js";
import { filesFacts, P, server, wireFacts } from "../../../helpers/pki-facts.js";
import { describeRule } from "../../../helpers/rules.js";

const WIRE = "localhost:5432 (127.0.0.1)";
const root = { sslrootcert: P("root-ca.crt") };

/** A sent chain whose root signs itself with SHA-1: its own signature is never checked. */
function withSha1Root() {
  const facts = wireFacts([P("server-good.crt")], root);
  const ep = facts.server?.facts.endpoints[0];
  const leaf = ep?.tls?.chain?.[0] as CertFacts;
  const selfSigned: CertFacts = {
    ...leaf,
    subject: "CN=Old Root",
    issuer: "CN=Old Root",
    selfIssued: true,
    isCa: true,
    signatureAlgorithm: "sha1WithRSAEncryption",
    signatureSecurityBits: 63,
  };
  if (ep?.tls) ep.tls.chain = [leaf, selfSigned];
  return facts;
}

describeRule(rule, [
  {
    name: "a Brainpool server key: no TLS 1.3 signature scheme (psql: sslv3 alert handshake failure), not a weak key",
    facts: filesFacts(server("server-brainpool.crt")),
    expect: [
      {
        code: "cert.key-no-tls-scheme",
        subject: "server-cert",
        message: ["brainpoolP256r1", "no suitable signature algorithm", "sslv3 alert handshake failure"],
      },
    ],
  },
  {
    name: "an RSA-1024 server key, from --server-cert",
    facts: filesFacts(server("server-rsa1024.crt")),
    expect: [
      { code: "cert.weak-key", subject: "server-cert", message: ["RSA 1024-bit key (80 bits of security)", "level 2"] },
    ],
  },
  {
    name: "... and as a server sends it",
    facts: wireFacts([P("server-rsa1024.crt")], root),
    expect: [{ code: "cert.weak-key", subject: WIRE, message: "RSA 1024-bit key" }],
  },
  {
    name: "a SHA-1 signed server certificate, from --server-cert",
    facts: filesFacts(server("server-sha1.crt")),
    expect: [{ code: "cert.weak-signature", message: "sha1WithRSAEncryption" }],
  },
  {
    name: "... and as a server sends it",
    facts: wireFacts([P("server-sha1.crt")], root),
    expect: [{ code: "cert.weak-signature", subject: WIRE }],
  },
  { name: "a self-signed root's SHA-1 self-signature does not count", facts: withSha1Root(), expect: [] },
  { name: "ECDSA P-256", facts: wireFacts([P("server-ecdsa.crt")], root), expect: [] },
  { name: "Ed25519", facts: filesFacts(server("server-ed25519.crt")), expect: [] },
]);
