// libpq's chain verification, modelled on what it asks of OpenSSL: SSL_CTX_load_verify_locations(sslrootcert)
// as the only trust, the certificates the server sent as untrusted helpers, no partial chains, the CRLs of
// X509_STORE_load_locations(sslcrl, sslcrldir) with CRL_CHECK|CRL_CHECK_ALL when they load, the "ssl_server"
// purpose and the library's security level. Errors and their order follow OpenSSL 3's X509_verify_cert.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { READ_CAPS, readCapped } from "../io/read.js";
import { type Decoded, decodeContent } from "./content.js";
import { type CrlInfo, crlIssuedBy, normaliseSerial, parseCrl } from "./crl.js";
import { canonicalNameEncoding, x509NameHash } from "./name-hash.js";
import { CERT_LABELS, CRL_LABEL, headerProblem } from "./pem-read.js";
import { type CertInfo, EKU, keySecurityBits, parseCertificate, sigHashBits } from "./x509.js";

export interface TrustInput {
  rootFile?: string;
  system?: boolean;
  crlFile?: string;
  crlDir?: string;
}

export type ChainFailure =
  | "unknown-ca"
  | "self-signed"
  | "missing-intermediate"
  | "expired"
  | "not-yet-valid"
  | "ca-expired"
  | "revoked"
  | "weak-signature"
  | "weak-key"
  | "bad-signature"
  | "not-a-ca"
  | "wrong-purpose"
  | "crl-unavailable"
  | "crl-expired"
  | "unreadable-root";

export type ChainResult =
  | { ok: true; path: string[] }
  | { ok: false; reason: ChainFailure; message: string; depth?: number; subject?: string };

export interface ChainOptions {
  now: Date;
  /** OpenSSL security level of the modelled client (the rules decide which: src/rules/certs/strength.ts). */
  securityLevel: number;
  /** Which end's certificate is judged: libpq checks the server's ("ssl_server"); a server checks a client's. */
  purpose?: "ssl_server" | "ssl_client";
}

/** The trust material libpq would load, and why CRL checking is on or off. */
export interface LoadedTrust {
  anchors: CertInfo[];
  /** Set when libpq fails at "could not read root certificate file". */
  rootError?: string;
  crls: CrlInfo[];
  crlDir?: string;
  crlCheck: boolean;
  /** Why CRL checking is off (libpq is silent about it). */
  crlOffReason?: string;
  /** The anchors are the system store (sslrootcert=system), not a root file. */
  system?: boolean;
}

/** The minimum security bits of each OpenSSL security level (SSL_CTX_set_security_level(3)). */
const SECURITY_BITS = [0, 80, 112, 128, 192, 256];

export function securityLevelBits(level: number): number {
  return SECURITY_BITS[Math.min(Math.max(level, 0), 5)] ?? 0;
}

function systemCaFile(): string {
  const env = process.env.SSL_CERT_FILE;
  if (env) return env;
  for (const f of ["/usr/lib/ssl/cert.pem", "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"])
    if (existsSync(f)) return f;
  return "/usr/lib/ssl/cert.pem";
}

/**
 * PEM_X509_INFO_read_bio as X509_load_cert_crl_file uses it (SSL_CTX_load_verify_locations, X509_STORE_load_locations):
 * all or nothing. It reads PEM objects until no BEGIN line is left; any other failure of the PEM reader, a header that
 * is not a Proc-Type header, or a certificate or CRL that does not decode fails the whole file; other labels (keys,
 * unknown ones) are passed over; no certificate and no CRL at all is "no certificate or crl found" (a DER file too).
 * The error is the reason libpq prints after `could not read root certificate file "...": `.
 */
export function loadPemObjects(path: string): { certs: CertInfo[]; crls: CrlInfo[] } | { error: string } {
  const r = readCapped(path, READ_CAPS.certificate);
  if (r.status !== "ok") return { error: r.status === "not-regular" ? `${r.what}` : r.message };
  if (r.truncated)
    return { error: `larger than ${READ_CAPS.certificate / (1024 * 1024)} MiB, more than dbdoctor reads` };
  return pemObjects(decodeContent(r.data));
}

export function pemObjects(decoded: Decoded): { certs: CertInfo[]; crls: CrlInfo[] } | { error: string } {
  if (decoded.format !== "pem") return { error: "no certificate or crl found" };
  const certs: CertInfo[] = [];
  const crls: CrlInfo[] = [];
  for (const b of decoded.blocks) {
    const isCert = CERT_LABELS.has(b.label);
    if (!isCert && b.label !== CRL_LABEL) continue;
    const header = headerProblem(b.rawHeader);
    if (header === "not proc type") return { error: "not proc type" };
    if (header === "encrypted") return { error: encryptedError(b.der) };
    try {
      if (isCert) certs.push(parseCertificate(b.der));
      else crls.push(parseCrl(b.der));
    } catch {
      return { error: ASN1_ERROR };
    }
  }
  // The reader's failure comes after the objects before it were read, and fails the file all the same.
  if (decoded.pemError) return { error: decoded.pemError.reason };
  if (certs.length === 0 && crls.length === 0) return { error: "no certificate or crl found" };
  return { certs, crls };
}

/**
 * SSL_CTX_use_certificate_chain_file, as libpq loads sslcert: PEM_read_bio_X509_AUX reads the first (TRUSTED)
 * CERTIFICATE block, passing over other objects; then PEM_read_bio_X509 reads CERTIFICATE blocks until no BEGIN
 * line is left. Any other failure is libpq's `could not read certificate file "...": <reason>`.
 */
export function chainFileError(decoded: Decoded): string | undefined {
  if (decoded.format !== "pem") return "no start line";
  let first = true;
  for (const b of decoded.blocks) {
    const wanted = first ? CERT_LABELS.has(b.label) : b.label === "CERTIFICATE" || b.label === "X509 CERTIFICATE";
    if (!wanted) continue;
    const header = headerProblem(b.rawHeader);
    if (header === "not proc type") return "not proc type";
    if (header === "encrypted") return encryptedError(b.der);
    try {
      parseCertificate(b.der);
    } catch {
      return ASN1_ERROR;
    }
    first = false;
  }
  if (decoded.pemError) return decoded.pemError.reason;
  return first ? "no start line" : undefined;
}

/**
 * An encrypted certificate block: libpq gives OpenSSL no password for it, the decryption with an empty one fails
 * ("wrong final block length" for a body that is not whole cipher blocks, as psql and psycopg print, else "bad decrypt").
 */
function encryptedError(body: Buffer): string {
  return body.length % 16 !== 0 ? "wrong final block length" : "bad decrypt";
}

/**
 * A certificate or CRL block whose DER does not decode: OpenSSL's ASN.1 decoder names a reason of its own ("mstring
 * not universal", "wrong tag", ...), which depends on where the bytes go wrong; dbdoctor does not model the decoder.
 */
export const ASN1_ERROR = "ASN.1 decoding error";

/** stat() identity of a path (or its absence), so a memoised load is reused only while the files are unchanged. */
function identity(path: string | undefined): string {
  if (!path) return "";
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return "absent";
  }
}

const loadedTrust = new Map<string, LoadedTrust>();

/**
 * The trust libpq loads, read once per run: the files stage and the server probe judge against the same root file,
 * and reading and decoding a bundle of 10,000 certificates takes seconds. Keyed by the files' identity.
 */
export function loadTrust(trust: TrustInput): LoadedTrust {
  const key = JSON.stringify([
    trust,
    identity(trust.rootFile),
    identity(trust.crlFile),
    identity(trust.crlDir),
    trust.system ? identity(systemCaFile()) : "",
  ]);
  const hit = loadedTrust.get(key);
  if (hit) return hit;
  const loaded = loadTrustUncached(trust);
  if (loadedTrust.size >= 64) loadedTrust.clear();
  loadedTrust.set(key, loaded);
  return loaded;
}

function loadTrustUncached(trust: TrustInput): LoadedTrust {
  const out: LoadedTrust = { anchors: [], crls: [], crlCheck: false };
  if (trust.system) {
    out.system = true;
    const loaded = loadPemObjects(systemCaFile());
    if ("certs" in loaded) out.anchors = loaded.certs;
    out.crlOffReason = "libpq loads no CRL with sslrootcert=system";
    return out;
  }
  if (!trust.rootFile) {
    out.rootError = "no root certificate file";
    return out;
  }
  const root = loadPemObjects(trust.rootFile);
  if ("error" in root) {
    out.rootError = `could not read root certificate file "${trust.rootFile}": ${root.error}`;
    return out;
  }
  out.anchors = root.certs;
  // CRLs in the root file are loaded too, but only count once CRL checking is switched on below.
  const rootFileCrls = root.crls;
  if (!trust.crlFile && !trust.crlDir) {
    out.crlOffReason = "no sslcrl or sslcrldir (and no default root.crl)";
    return out;
  }
  let fileCrls: CrlInfo[] = [];
  if (trust.crlFile) {
    const crl = loadPemObjects(trust.crlFile);
    if ("error" in crl) {
      out.crlOffReason = `sslcrl "${trust.crlFile}" could not be loaded (${crl.error}); libpq then ignores CRLs silently${trust.crlDir ? ", sslcrldir included" : ""}`;
      return out;
    }
    // Certificates in the CRL file land in the same store, and so become trusted.
    out.anchors.push(...crl.certs);
    fileCrls = crl.crls;
  }
  out.crls = [...rootFileCrls, ...fileCrls];
  if (trust.crlDir) out.crlDir = trust.crlDir;
  out.crlCheck = true;
  return out;
}

/** by_dir lookup: "<hash>.r0", "<hash>.r1", ... until one is missing. */
function crlsFromDir(dir: string, issuerDer: Buffer): CrlInfo[] {
  const hash = x509NameHash(issuerDer);
  const out: CrlInfo[] = [];
  for (let i = 0; ; i++) {
    const file = join(dir, `${hash}.r${i}`);
    const loaded = loadPemObjects(file);
    if ("error" in loaded) break;
    out.push(...loaded.crls);
  }
  return out;
}

function sameName(a: Buffer, b: Buffer): boolean {
  try {
    return canonicalNameEncoding(a).equals(canonicalNameEncoding(b));
  } catch {
    return a.equals(b);
  }
}

/** X509_check_issued without the signature: names, key identifiers, keyCertSign. */
function couldIssue(issuer: CertInfo, cert: CertInfo): boolean {
  if (!sameName(cert.issuerDer, issuer.subjectDer)) return false;
  if (cert.aki && issuer.ski && !cert.aki.equals(issuer.ski)) return false;
  if (issuer.keyUsage && !issuer.keyUsage.includes("keyCertSign")) return false;
  return true;
}

function selfSigned(c: CertInfo): boolean {
  if (!couldIssue(c, c)) return false;
  try {
    return c.x509.verify(c.x509.publicKey);
  } catch {
    return false;
  }
}

function timeValid(c: CertInfo, now: Date): boolean {
  return c.notBefore.getTime() <= now.getTime() && c.notAfter.getTime() >= now.getTime();
}

/**
 * X509_check_ca (crypto/x509/v3_purp.c check_ca): 0 not a CA; 1 basicConstraints CA:TRUE; 3 a self-signed v1
 * certificate; 4 keyUsage keyCertSign without basicConstraints. A keyUsage without keyCertSign is 0 whatever else.
 */
function checkCa(c: CertInfo): 0 | 1 | 3 | 4 {
  if (c.keyUsage && !c.keyUsage.includes("keyCertSign")) return 0;
  if (c.basicConstraints) return c.basicConstraints.ca ? 1 : 0;
  if (c.version === 1 && c.selfIssued) return 3;
  if (c.keyUsage) return 4;
  return 0;
}

/**
 * check_chain_extensions: an intermediate CA must say CA:TRUE in basicConstraints ("X509_V_FLAG_X509_STRICT is
 * implicit for intermediate CAs", OpenSSL 3); the top of the chain may also be a v1 root or rely on keyUsage. A v3
 * root without extensions is no CA (invalid CA certificate), as psql and psycopg show on the lab's root-v3-noext.
 */
function actsAsCa(c: CertInfo, top: boolean): boolean {
  const ret = checkCa(c);
  return ret !== 0 && (top || ret === 1);
}

function fail(reason: ChainFailure, text: string, depth: number, cert?: CertInfo): ChainResult {
  const r: ChainResult = { ok: false, reason, message: `certificate verify failed: ${text}`, depth };
  if (cert) r.subject = cert.subject;
  return r;
}

function purposeOk(c: CertInfo, purpose: "ssl_server" | "ssl_client", isCa: boolean): boolean {
  const want = purpose === "ssl_server" ? EKU.serverAuth : EKU.clientAuth;
  if (c.extKeyUsage && !c.extKeyUsage.includes(want)) return false;
  if (!isCa && c.keyUsage) {
    const usable =
      purpose === "ssl_server"
        ? ["digitalSignature", "keyEncipherment", "keyAgreement"]
        : ["digitalSignature", "keyAgreement"];
    if (!c.keyUsage.some((u) => usable.includes(u))) return false;
  }
  return true;
}

/** Verify a chain (leaf first, as sent) against already loaded trust. */
export function verifyWithTrust(chain: CertInfo[], trust: LoadedTrust, opts: ChainOptions): ChainResult {
  const leaf = chain[0];
  if (!leaf) return fail("unknown-ca", "no certificate", 0);
  if (trust.rootError) return { ok: false, reason: "unreadable-root", message: trust.rootError };
  const minBits = securityLevelBits(opts.securityLevel);
  const purpose = opts.purpose ?? "ssl_server";
  const now = opts.now;

  if (minBits > 0 && keySecurityBits(leaf.keyType, leaf.keyBits) < minBits)
    return fail("weak-key", "EE certificate key too weak", 0, leaf);

  // build_chain: trusted issuers first, then the untrusted certificates the peer sent.
  const built: CertInfo[] = [leaf];
  let trustedFrom = -1;
  const untrusted = chain.slice(1);
  for (let guard = 0; guard < 32; guard++) {
    const top = built[built.length - 1] as CertInfo;
    const depth = built.length - 1;
    if (trustedFrom === -1 && selfSigned(top)) {
      const anchor = trust.anchors.find((a) => a.der.equals(top.der));
      if (anchor) {
        trustedFrom = depth;
        break;
      }
      return depth === 0
        ? fail("self-signed", "self-signed certificate", 0, top)
        : fail("unknown-ca", "self-signed certificate in certificate chain", depth, top);
    }
    if (trustedFrom !== -1 && selfSigned(top)) break;
    const candidates = trust.anchors.filter((a) => couldIssue(a, top) && !built.includes(a));
    const trusted = candidates.find((a) => timeValid(a, now)) ?? candidates[candidates.length - 1];
    if (trusted) {
      built.push(trusted);
      if (trustedFrom === -1) trustedFrom = built.length - 1;
      continue;
    }
    if (trustedFrom !== -1) return fail("unknown-ca", "unable to get issuer certificate", depth, top);
    const helper = untrusted.find((u) => couldIssue(u, top) && !built.some((b) => b.der.equals(u.der)));
    if (helper) {
      built.push(helper);
      continue;
    }
    return fail("unknown-ca", "unable to get local issuer certificate", depth, top);
  }
  const n = built.length;

  // check_extensions: every issuer must be a CA; the purpose must fit (the trust anchor's EKU is not checked).
  for (let i = 0; i < n; i++) {
    const c = built[i] as CertInfo;
    if (i > 0 && !actsAsCa(c, i === n - 1)) return fail("not-a-ca", "invalid CA certificate", i, c);
    const pathLen = c.basicConstraints?.pathLen;
    if (i > 1 && pathLen !== undefined && i - 1 > pathLen)
      return fail("not-a-ca", "path length constraint exceeded", i, c);
    if (i < n - 1 || n === 1) {
      if (!purposeOk(c, purpose, i > 0)) return fail("wrong-purpose", "unsupported certificate purpose", i, c);
    }
  }

  // check_auth_level
  if (minBits > 0) {
    for (let i = 0; i < n; i++) {
      const c = built[i] as CertInfo;
      if (i > 0 && keySecurityBits(c.keyType, c.keyBits) < minBits)
        return fail("weak-key", "CA certificate key too weak", i, c);
      if (i < n - 1 && sigHashBits(c.sigHash) < minBits)
        return fail("weak-signature", "CA signature digest algorithm too weak", i, c);
    }
  }

  // check_revocation with CRL_CHECK_ALL: every certificate needs a current CRL from its issuer.
  if (trust.crlCheck) {
    for (let i = 0; i < n; i++) {
      const c = built[i] as CertInfo;
      const issuer = (i + 1 < n ? built[i + 1] : c) as CertInfo;
      const pool = [...trust.crls, ...(trust.crlDir ? crlsFromDir(trust.crlDir, c.issuerDer) : [])];
      const mine = pool.filter((crl) => sameName(crl.issuerDer, c.issuerDer));
      if (mine.length === 0) return fail("crl-unavailable", "unable to get certificate CRL", i, c);
      const current = mine.filter((crl) => crl.thisUpdate <= now && (crl.nextUpdate === null || crl.nextUpdate >= now));
      const crl = current[0] ?? mine[0];
      if (!crl) return fail("crl-unavailable", "unable to get certificate CRL", i, c);
      if (!crlIssuedBy(crl, issuer)) return fail("bad-signature", "CRL signature failure", i, c);
      if (crl.thisUpdate > now) return fail("crl-expired", "CRL is not yet valid", i, c);
      if (crl.nextUpdate !== null && crl.nextUpdate < now) return fail("crl-expired", "CRL has expired", i, c);
      if (crl.revoked.includes(normaliseSerial(c.serialHex))) return fail("revoked", "certificate revoked", i, c);
    }
  }

  // internal_verify: from the anchor down, signature then validity period.
  for (let i = n - 1; i >= 0; i--) {
    const c = built[i] as CertInfo;
    if (i < n - 1) {
      const issuer = built[i + 1] as CertInfo;
      let good = false;
      try {
        good = c.x509.verify(issuer.x509.publicKey);
      } catch {
        good = false;
      }
      if (!good) return fail("bad-signature", "certificate signature failure", i, c);
    }
    if (c.notBefore.getTime() > now.getTime()) return fail("not-yet-valid", "certificate is not yet valid", i, c);
    if (c.notAfter.getTime() < now.getTime())
      return fail(i === 0 ? "expired" : "ca-expired", "certificate has expired", i, c);
  }
  return { ok: true, path: built.map((c) => c.subject) };
}
