// What libpq and the server would make of the client certificate: does the key belong to the certificate libpq
// sends first (SSL_CTX_check_private_key), and does the chain libpq sends verify for the ssl_client purpose against
// the CAs in sslrootcert (what a server whose ssl_ca_file holds the same CAs would check).
import { createPublicKey, type KeyObject } from "node:crypto";
import { type ChainResult, type LoadedTrust, verifyWithTrust } from "./chain.js";
import type { CertInfo } from "./x509.js";

export interface KeyMatch {
  /** The key belongs to the first certificate of sslcert, the one libpq uses. */
  leafMatches: boolean;
  /** When it does not: the index of the certificate in sslcert it does belong to, if any. */
  matchingIndex: number | null;
}

function spki(k: KeyObject): Buffer {
  return k.export({ format: "der", type: "spki" });
}

export function matchKey(certs: CertInfo[], key: KeyObject): KeyMatch {
  const pub = spki(createPublicKey(key));
  const leaf = certs[0];
  if (leaf && spki(leaf.x509.publicKey).equals(pub)) return { leafMatches: true, matchingIndex: null };
  const other = certs.findIndex((c) => spki(c.x509.publicKey).equals(pub));
  return { leafMatches: false, matchingIndex: other >= 0 ? other : null };
}

export interface ClientChain {
  /**
   * The client certificate is issued by an intermediate CA that sslrootcert holds but sslcert does not: libpq sends
   * only what sslcert holds, so a server that knows only the root cannot build the chain. Its subject.
   */
  intermediateNotSent?: string;
  /** The chain as libpq sends it, verified for ssl_client against sslrootcert (absent with intermediateNotSent). */
  verification?: ChainResult;
}

/** Only meaningful with anchors to check against (a root file libpq loads). */
export function checkClientChain(certs: CertInfo[], trust: LoadedTrust, now: Date): ClientChain | undefined {
  const leaf = certs[0];
  const anchors = trust.anchors;
  if (!leaf || anchors.length === 0) return undefined;
  const issuerInFile = certs.slice(1).some((c) => c.subjectDer.equals(leaf.issuerDer));
  const knownIssuer = anchors.find((c) => c.subjectDer.equals(leaf.issuerDer));
  if (!leaf.selfIssued && !issuerInFile && knownIssuer && !knownIssuer.selfIssued)
    return { intermediateNotSent: knownIssuer.subject };
  // The server's own security level is not ours to model: level 0 checks the chain's structure and dates only.
  const verification = verifyWithTrust(
    certs,
    { anchors, crls: [], crlCheck: false },
    { now, purpose: "ssl_client", securityLevel: 0 },
  );
  return { verification };
}
