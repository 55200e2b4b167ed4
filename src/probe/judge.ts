// Judging the captured chain: the pure checks of src/pki (verifyServerChainFacts and matchHostname, the same
// code `dbdoctor certs --server-cert` uses), never Node's verification or host-name check.
import { statSync } from "node:fs";
import type { EffectiveParam } from "../conninfo/types.js";
import type { LibpqMajor } from "../model/options.js";
import { type LoadedTrust, loadTrust, type TrustInput } from "../pki/chain.js";
import { matchHostname } from "../pki/hostname.js";
import { verifyServerChainFacts } from "../pki/server-chain.js";
import { type CertInfo, parseCertificate } from "../pki/x509.js";
import type { ChainJudgment, HostnameJudgment } from "./types.js";

export interface Trust {
  judgment: ChainJudgment["trust"];
  /** The trust libpq loads (loadTrust's input); absent when there is nothing to judge against. */
  verify?: TrustInput;
}

/**
 * The trust, read and parsed up front: a root bundle of 10,000 certificates takes seconds of CPU, which must be
 * spent before the network deadlines start, not while a handshake or a session attempt waits on a timer.
 */
export interface PreparedTrust extends Trust {
  loaded?: LoadedTrust;
}

export function prepareTrust(effective: Record<string, EffectiveParam | undefined>, major: LibpqMajor): PreparedTrust {
  const trust: PreparedTrust = trustFrom(effective, major);
  if (!trust.verify) return trust;
  trust.loaded = loadTrust(trust.verify);
  return trust;
}

function statOk(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The trust libpq would use (initialize_SSL): sslrootcert=system (PG16+) is the system store; otherwise the
 * file if it stat()s; otherwise no verification. CRLs count only with a root file, as in libpq.
 */
export function trustFrom(effective: Record<string, EffectiveParam | undefined>, major: LibpqMajor): Trust {
  const root = effective.sslrootcert?.value;
  if (root === undefined || root === "")
    return { judgment: { kind: "none", reason: "no root certificate given (sslrootcert)" } };
  if (root === "system" && major >= 16) return { judgment: { kind: "system" }, verify: { system: true } };
  if (!statOk(root)) return { judgment: { kind: "none", reason: `root certificate file "${root}" does not exist` } };
  const verify: NonNullable<Trust["verify"]> = { rootFile: root };
  const crl = effective.sslcrl?.value;
  const crlDir = effective.sslcrldir?.value;
  if (crl) verify.crlFile = crl;
  if (crlDir) verify.crlDir = crlDir;
  return { judgment: { kind: "file", path: root }, verify };
}

/**
 * The chain as the server sent it, verified as libpq would with `securityLevel` (the modelled client's), by the same
 * pure check `certs --server-cert` uses (src/pki/server-chain.ts), against the trust prepared before the clock.
 */
export function judgeChain(chainDer: Buffer[], trust: PreparedTrust, now: Date, securityLevel: number): ChainJudgment {
  if (!trust.verify) return { trust: trust.judgment, ok: null };
  let chain: CertInfo[];
  try {
    chain = chainDer.map((d) => parseCertificate(d));
  } catch (err) {
    return {
      trust: trust.judgment,
      ok: false,
      reason: "bad-signature",
      message: `could not parse the server certificate: ${String(err)}`,
    };
  }
  return verifyServerChainFacts(chain, trust.loaded ?? loadTrust(trust.verify), trust.judgment, {
    now,
    securityLevel,
  });
}

export function judgeHostname(leafDer: Buffer, host: string, major: LibpqMajor): HostnameJudgment {
  const r = matchHostname(leafDer, host, major);
  return r.ok ? { host, ok: true, matched: r.matched } : { host, ok: false, message: r.message };
}
