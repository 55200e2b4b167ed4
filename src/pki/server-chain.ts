// libpq's verdict on a server's chain, the same whether the chain was read from a file (`certs --server-cert`) or
// received from the server (the probe): OpenSSL's verification as libpq sets it up (chain.ts), and, when the chain
// stops short, which issuer is missing, so the rules can name a missing intermediate or a root file holding another CA.
import { type LoadedTrust, verifyWithTrust } from "./chain.js";
import type { ChainTrust, ChainVerification } from "./types.js";
import type { CertInfo } from "./x509.js";

export interface ServerChainOptions {
  now: Date;
  /** The modelled client's OpenSSL security level (chosen by the rules, passed down by the engine). */
  securityLevel: number;
}

/** Verify a server's chain (leaf first, as sent) against the trust libpq loaded. */
export function verifyServerChainFacts(
  chain: CertInfo[],
  trust: LoadedTrust,
  source: ChainTrust,
  o: ServerChainOptions,
): ChainVerification {
  if (chain.length === 0) return { trust: source, ok: null, message: "the server sent no certificate" };
  const r = verifyWithTrust(chain, trust, { now: o.now, purpose: "ssl_server", securityLevel: o.securityLevel });
  if (r.ok) return { trust: source, ok: true, path: r.path };
  const v: ChainVerification = { trust: source, ok: false, reason: r.reason, message: r.message };
  if (r.depth !== undefined) v.depth = r.depth;
  if (r.subject !== undefined) v.subject = r.subject;
  // The issuer of the top certificate of the chain is in neither the chain nor the root file: a missing
  // intermediate, or a root file that holds another CA. The certificates alone cannot tell which, so the facts
  // name the issuer and what the root file does hold.
  if (r.reason !== "missing-intermediate" && r.reason !== "unknown-ca") return v;
  const top = chain[chain.length - 1] as CertInfo;
  if (top.selfIssued || trust.system || trust.rootError) return v;
  const roots = [...new Set(trust.anchors.map((c) => c.subject))];
  if (roots.includes(top.issuer)) return v;
  v.missingIssuer = top.issuer;
  v.rootSubjects = roots;
  return v;
}
