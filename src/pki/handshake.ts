// What stops a TLS handshake before any chain check, from the server's certificate alone. A key on a Brainpool
// curve: TLS 1.3 has no signature scheme OpenSSL offers for it by default (RFC 8734's brainpool schemes are not in
// OpenSSL's default list), so a server that negotiates TLS 1.3 finds "no suitable signature algorithm" and aborts;
// libpq then reports the alert. Measured with the lab's server-brainpool: psql 15 (OpenSSL 3.0) fails under every
// sslmode with "SSL error: sslv3 alert handshake failure" (test/integration/certs-vs-libpq.test.ts).
import type { CertInfo } from "./x509.js";

export interface HandshakeProblem {
  /** Why, in OpenSSL's words on the server's side. */
  reason: string;
  /** What libpq prints (OpenSSL 3.0 words the alert "sslv3 alert ...", 3.2 and later "ssl/tls alert ..."). */
  libpq: string;
}

const BRAINPOOL = /^brainpoolP\d+[rt]1$/;

export function handshakeProblem(leaf: CertInfo | undefined): HandshakeProblem | undefined {
  if (!leaf?.curve || !BRAINPOOL.test(leaf.curve)) return undefined;
  return {
    reason: `no suitable signature algorithm (a ${leaf.curve} key has no TLS 1.3 signature scheme in OpenSSL's default list)`,
    libpq: "SSL error: sslv3 alert handshake failure",
  };
}
