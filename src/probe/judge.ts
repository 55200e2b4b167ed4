// Judging the captured chain: the pure checks of src/pki (H3's verifyServerChain and matchHostname, the same
// code `dbdoctor certs --server-cert` uses), never Node's verification or host-name check.
import { X509Certificate } from "node:crypto";
import { statSync } from "node:fs";
import type { EffectiveParam } from "../conninfo/types.js";
import { READ_CAPS, readCapped } from "../io/read.js";
import type { LibpqMajor } from "../model/options.js";
import { type LoadedTrust, loadTrust, type TrustInput, verifyServerChain } from "../pki/chain.js";
import { matchHostname } from "../pki/hostname.js";
import { pemBlocksOf } from "../pki/pem-scan.js";
import { oneLineName } from "./cert-info.js";
import type { ChainJudgment, HostnameJudgment } from "./types.js";

export interface Trust {
  judgment: ChainJudgment["trust"];
  /** What verifyServerChain takes; absent when there is nothing to judge against. */
  verify?: TrustInput;
}

/**
 * The trust, read and parsed up front: a root bundle of 10,000 certificates takes seconds of CPU, which must be
 * spent before the network deadlines start, not while a handshake or a session attempt waits on a timer.
 */
export interface PreparedTrust extends Trust {
  loaded?: LoadedTrust;
  /** Subjects of the root file's certificates (Node's form), to name what a failing chain's issuer is not. */
  rootSubjects?: Set<string>;
}

export function prepareTrust(effective: Record<string, EffectiveParam | undefined>, major: LibpqMajor): PreparedTrust {
  const trust: PreparedTrust = trustFrom(effective, major);
  if (!trust.verify) return trust;
  trust.loaded = loadTrust(trust.verify);
  const rootFile = trust.verify.rootFile;
  if (rootFile) {
    // The root file alone (without the CRL file's certificates); its certificates are parsed and cached already.
    const own = loadTrust({ rootFile });
    trust.rootSubjects = own.rootError ? bundleSubjects(rootFile) : new Set(own.anchors.map((a) => a.x509.subject));
  }
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

/** Subjects (Node's multi-line form) of every certificate in a PEM bundle; unreadable blocks are skipped. */
function bundleSubjects(path: string): Set<string> {
  const out = new Set<string>();
  const r = readCapped(path, READ_CAPS.certificate);
  if (r.status !== "ok" || r.truncated) return out;
  for (const pem of pemBlocksOf(r.data.toString("latin1"), "CERTIFICATE")) {
    try {
      out.add(new X509Certificate(pem).subject);
    } catch {
      // the file checks report unreadable blocks; here they simply cannot be an issuer
    }
  }
  return out;
}

export function judgeChain(chainDer: Buffer[], trust: PreparedTrust, now: Date): ChainJudgment {
  if (!trust.verify) return { trust: trust.judgment, ok: null };
  if (chainDer.length === 0) return { trust: trust.judgment, ok: null, message: "the server sent no certificate" };
  const r = verifyServerChain(chainDer, trust.verify, { now, ...(trust.loaded ? { loaded: trust.loaded } : {}) });
  if (r.ok) return { trust: trust.judgment, ok: true, path: r.path };
  const j: ChainJudgment = { trust: trust.judgment, ok: false, reason: r.reason, message: r.message };
  if (r.depth !== undefined) j.depth = r.depth;
  // The issuer of the top certificate the server sent is in neither what was sent nor the root file: a missing
  // intermediate, or a root file that holds another CA. The certificates alone cannot tell which, so the
  // judgment names the issuer and what the root file does hold.
  if (r.reason !== "missing-intermediate" && r.reason !== "unknown-ca") return j;
  const top = new X509Certificate(chainDer[chainDer.length - 1] as Buffer);
  if (top.subject === top.issuer || !trust.verify.rootFile) return j;
  const roots = trust.rootSubjects ?? bundleSubjects(trust.verify.rootFile);
  if (roots.has(top.issuer)) return j;
  j.missingIssuer = oneLineName(top.issuer);
  j.rootSubjects = [...roots].map(oneLineName);
  return j;
}

export function judgeHostname(leafDer: Buffer, host: string, major: LibpqMajor): HostnameJudgment {
  const r = matchHostname(leafDer, host, major);
  return r.ok ? { host, ok: true, matched: r.matched } : { host, ok: false, message: r.message };
}
