// Every certificate's key and signature against the client's OpenSSL security level (policy.ts), wherever the
// certificate comes from. A root's self-signature is never checked, so its hash does not count.
import { defineRule } from "../rule.js";
import { CLIENT_SECURITY_LEVEL, LEVEL1_SECURITY_BITS, MIN_SECURITY_BITS } from "./policy.js";
import { certificateSets, where } from "./sets.js";

export default defineRule({
  id: "certs/strength",
  family: "certs",
  codes: {
    "cert.weak-key": {
      severity: "warning",
      title: "A certificate key is too weak for security level 2",
      description:
        "RSA below 2048 bits (or EC below 224) is refused by TLS libraries at security level 2 (the default of many distributions and of OpenSSL 3.2+); below 1024 bits even level 1 refuses it. Judged the same way for a file and for the chain a server sent.",
      hint: "Re-issue with an RSA 2048+ or ECDSA P-256 key.",
    },
    "cert.key-no-tls-scheme": {
      severity: "error",
      title: "The server's key has no signature scheme the handshake can use",
      description:
        'A server key on a Brainpool curve: OpenSSL offers no TLS 1.3 signature scheme for it by default, so the server aborts the handshake (no suitable signature algorithm) under every sslmode; libpq says "SSL error: sslv3 alert handshake failure" (OpenSSL 3.2+: "ssl/tls alert handshake failure").',
      hint: "Re-issue the server certificate with a P-256 (prime256v1) ECDSA or an RSA 2048+ key.",
    },
    "cert.weak-signature": {
      severity: "error",
      title: "A certificate is signed with SHA-1 or MD5",
      description:
        "OpenSSL 3 refuses SHA-1 and MD5 signatures in a chain from security level 1 on (CA signature digest algorithm too weak); collisions make them forgeable.",
      hint: "Re-issue the certificate with a SHA-256 signature.",
    },
  },
  check(facts, { report }) {
    for (const set of certificateSets(facts)) {
      set.certs.forEach((c, i) => {
        const at = where(set, i);
        if (set.holder === "server" && i === 0 && c.curve && /^brainpoolP\d+[rt]1$/.test(c.curve))
          report(
            "cert.key-no-tls-scheme",
            set.subject,
            `${at}: ${c.subject} has an EC key on ${c.curve}; OpenSSL has no TLS 1.3 signature scheme for it in its default list, so the server aborts the handshake ("no suitable signature algorithm") whatever the sslmode. libpq: "SSL error: sslv3 alert handshake failure".`,
            { evidence: { subject: c.subject, curve: c.curve } },
          );
        const ev = { ...(set.path !== undefined ? { path: set.path } : {}), subject: c.subject };
        const bits = c.keySecurityBits;
        if (bits !== null && bits < MIN_SECURITY_BITS)
          report(
            "cert.weak-key",
            set.subject,
            `${at}: ${c.subject} has a ${c.keyType.toUpperCase()} ${c.keyBits ?? "?"}-bit key (${bits} bits of security); TLS libraries at security level ${CLIENT_SECURITY_LEVEL} refuse it${bits < LEVEL1_SECURITY_BITS ? ", and level 1 too" : ""}.`,
            { evidence: { ...ev, keyBits: c.keyBits ?? 0 } },
          );
        const sig = c.signatureSecurityBits;
        if (!c.selfIssued && sig !== null && sig < LEVEL1_SECURITY_BITS)
          report(
            "cert.weak-signature",
            set.subject,
            `${at}: ${c.subject} is signed with ${c.signatureAlgorithm}; OpenSSL 3 refuses it (CA signature digest algorithm too weak).`,
            { evidence: { ...ev, signature: c.signatureAlgorithm } },
          );
      });
    }
  },
});
