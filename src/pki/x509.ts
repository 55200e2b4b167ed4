// One certificate model for every key type. node:crypto's X509Certificate reads RSA, EC and Ed25519 alike and
// verifies signatures with the same OpenSSL that libpq uses; the few fields it does not expose (raw names, SAN
// entries as bytes, key usage bits, basic constraints, the signature algorithm) come from the DER directly, so
// host-name and chain checks stay synchronous and never need node-forge.
import { createHash, X509Certificate } from "node:crypto";
import { DerError, decodeOid, derChildren, parseCertificateDer, readTlv, type Tlv } from "./der.js";

export type SanEntry = { type: "dns"; value: string; raw: Buffer } | { type: "ip"; bytes: Buffer };

export interface CertInfo {
  der: Buffer;
  x509: X509Certificate;
  /** OpenSSL-style one-line subject, e.g. "CN=localhost, O=lab" (node's order, RFC 2253 reversed). */
  subject: string;
  issuer: string;
  subjectDer: Buffer;
  issuerDer: Buffer;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  sigAlgOid: string;
  /** The hash in the signature algorithm, or the algorithm itself for Ed25519/Ed448. */
  sigHash: string;
  sigAlgName: string;
  keyType: string;
  /** RSA modulus bits, EC curve size, 256 for Ed25519. */
  keyBits: number | null;
  curve?: string;
  /** basicConstraints: undefined when the extension is absent. */
  basicConstraints?: { ca: boolean; pathLen?: number; critical: boolean };
  /** keyUsage bit names; undefined when the extension is absent. */
  keyUsage?: string[];
  /** extendedKeyUsage OIDs; undefined when absent. */
  extKeyUsage?: string[];
  san: SanEntry[];
  hasSanExtension: boolean;
  /** Every CN value, in certificate order, as raw bytes (libpq uses the first). */
  commonNames: Buffer[];
  ski?: Buffer;
  aki?: Buffer;
  /** Issuer name equals subject name (a candidate root; signature checked separately). */
  selfIssued: boolean;
  /** X.509 version (1 to 3): OpenSSL still takes a self-signed v1 certificate without extensions as a CA. */
  version: number;
  /** The key's strength as OpenSSL rates it (NIST SP 800-57); null when its size is unknown. */
  keySecurityBits: number | null;
  /** The signature's hash strength as OpenSSL 3 rates it (SHA-1 63, MD5 39); null for an unknown algorithm. */
  signatureSecurityBits: number | null;
}

const SIG_ALGS: Record<string, { name: string; hash: string }> = {
  "1.2.840.113549.1.1.2": { name: "md2WithRSAEncryption", hash: "md2" },
  "1.2.840.113549.1.1.4": { name: "md5WithRSAEncryption", hash: "md5" },
  "1.2.840.113549.1.1.5": { name: "sha1WithRSAEncryption", hash: "sha1" },
  "1.2.840.113549.1.1.11": { name: "sha256WithRSAEncryption", hash: "sha256" },
  "1.2.840.113549.1.1.12": { name: "sha384WithRSAEncryption", hash: "sha384" },
  "1.2.840.113549.1.1.13": { name: "sha512WithRSAEncryption", hash: "sha512" },
  "1.2.840.113549.1.1.14": { name: "sha224WithRSAEncryption", hash: "sha224" },
  "1.2.840.113549.1.1.10": { name: "rsassaPss", hash: "pss" },
  "1.2.840.10045.4.1": { name: "ecdsa-with-SHA1", hash: "sha1" },
  "1.2.840.10045.4.3.1": { name: "ecdsa-with-SHA224", hash: "sha224" },
  "1.2.840.10045.4.3.2": { name: "ecdsa-with-SHA256", hash: "sha256" },
  "1.2.840.10045.4.3.3": { name: "ecdsa-with-SHA384", hash: "sha384" },
  "1.2.840.10045.4.3.4": { name: "ecdsa-with-SHA512", hash: "sha512" },
  "1.2.840.10040.4.3": { name: "dsa-with-SHA1", hash: "sha1" },
  "1.3.101.112": { name: "ED25519", hash: "ed25519" },
  "1.3.101.113": { name: "ED448", hash: "ed448" },
};

/** Security bits of a signature's hash, as OpenSSL 3 rates them (SHA-1 63, MD5 39). */
export function sigHashBits(hash: string): number {
  switch (hash) {
    case "md2":
      return 0;
    case "md5":
      return 39;
    case "sha1":
      return 63;
    case "sha224":
      return 112;
    case "sha256":
    case "ed25519":
    case "pss":
      return 128;
    case "sha384":
      return 192;
    case "ed448":
    case "sha512":
      return 256;
    default:
      return 0;
  }
}

/** Security bits of a public key as OpenSSL counts them (RSA per NIST SP 800-57, EC half the order). */
export function keySecurityBits(keyType: string, bits: number | null): number {
  if (bits === null) return 0;
  if (keyType === "rsa" || keyType === "rsa-pss" || keyType === "dsa") {
    if (bits >= 15360) return 256;
    if (bits >= 7680) return 192;
    if (bits >= 3072) return 128;
    if (bits >= 2048) return 112;
    if (bits >= 1024) return 80;
    return 0;
  }
  if (keyType === "ed25519") return 128;
  if (keyType === "ed448") return 224;
  return Math.floor(bits / 2);
}

const KEY_USAGE_BITS = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
];

export const EKU = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  any: "2.5.29.37.0",
} as const;

function decodeKeyUsage(value: Buffer): string[] {
  const bits = readTlv(value, 0).content;
  const out: string[] = [];
  for (let i = 0; i < KEY_USAGE_BITS.length; i++) {
    const byte = bits[1 + (i >> 3)];
    if (byte !== undefined && byte & (0x80 >> (i & 7))) out.push(KEY_USAGE_BITS[i] as string);
  }
  return out;
}

function decodeBasicConstraints(value: Buffer, critical: boolean): CertInfo["basicConstraints"] {
  const seq = readTlv(value, 0);
  let ca = false;
  let pathLen: number | undefined;
  for (const c of derChildren(seq)) {
    if (c.tag === 0x01) ca = (c.content[0] ?? 0) !== 0;
    if (c.tag === 0x02) pathLen = c.content.reduce((n, b) => n * 256 + b, 0);
  }
  return pathLen === undefined ? { ca, critical } : { ca, pathLen, critical };
}

function decodeSan(value: Buffer): SanEntry[] {
  const out: SanEntry[] = [];
  for (const gn of derChildren(readTlv(value, 0))) {
    if (gn.tag === 0x82) out.push({ type: "dns", value: gn.content.toString("latin1"), raw: gn.content });
    else if (gn.tag === 0x87) out.push({ type: "ip", bytes: gn.content });
  }
  return out;
}

function decodeKeyId(value: Buffer, aki: boolean): Buffer | undefined {
  const tlv = readTlv(value, 0);
  if (!aki) return tlv.content;
  return derChildren(tlv).find((c) => c.tag === 0x80)?.content;
}

const CN_OID = "2.5.4.3";

function commonNames(nameDer: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (const rdn of derChildren(readTlv(nameDer, 0))) {
    for (const ava of derChildren(rdn)) {
      const [oid, value] = derChildren(ava) as [Tlv | undefined, Tlv | undefined];
      if (oid && value && decodeOid(oid.content) === CN_OID) out.push(bmpOrRaw(value));
    }
  }
  return out;
}

function bmpOrRaw(value: Tlv): Buffer {
  // libpq compares ASN1_STRING_get0_data bytes; BMPString CNs are rare, keep their bytes as OpenSSL would.
  return value.content;
}

/** Parse one DER certificate. Throws DerError (or node's error) when it is not a certificate. */
/**
 * Parsed certificates by DER digest, for the run: the files stage, libpq's TLS set-up and the probe's trust store
 * all read the same root bundle, and a bundle of 10,000 certificates costs seconds to parse each time. CertInfo is
 * never mutated after parsing, so sharing it is safe. Bounded: a run never needs more than the caps let in.
 */
const parsed = new Map<string, CertInfo | Error>();
const PARSED_MAX = 100_000;

export function parseCertificate(der: Buffer): CertInfo {
  const key = createHash("sha256").update(der).digest("base64");
  const hit = parsed.get(key);
  if (hit instanceof Error) throw hit;
  if (hit) return hit;
  if (parsed.size >= PARSED_MAX) parsed.clear();
  try {
    const info = parseCertificateUncached(der);
    parsed.set(key, info);
    return info;
  } catch (err) {
    parsed.set(key, err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
}

function parseCertificateUncached(der: Buffer): CertInfo {
  const x509 = new X509Certificate(der);
  const parts = parseCertificateDer(der);
  const alg = SIG_ALGS[parts.sigAlgOid] ?? { name: parts.sigAlgOid, hash: "unknown" };
  const info: CertInfo = {
    der,
    x509,
    subject: oneLine(x509.subject),
    issuer: oneLine(x509.issuer),
    subjectDer: parts.subject,
    issuerDer: parts.issuer,
    serialHex: x509.serialNumber.toLowerCase(),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    sigAlgOid: parts.sigAlgOid,
    sigHash: alg.hash,
    sigAlgName: alg.name,
    keyType: x509.publicKey.asymmetricKeyType ?? "unknown",
    keyBits: keyBits(x509),
    san: [],
    hasSanExtension: false,
    commonNames: commonNames(parts.subject),
    selfIssued: parts.subject.equals(parts.issuer),
    version: parts.version,
    keySecurityBits: null,
    signatureSecurityBits: alg.hash === "unknown" ? null : sigHashBits(alg.hash),
  };
  if (info.keyBits !== null) info.keySecurityBits = keySecurityBits(info.keyType, info.keyBits);
  const curve = x509.publicKey.asymmetricKeyDetails?.namedCurve;
  if (curve) info.curve = curve;
  for (const ext of parts.extensions) {
    try {
      switch (ext.oid) {
        case "2.5.29.19":
          info.basicConstraints = decodeBasicConstraints(ext.value, ext.critical);
          break;
        case "2.5.29.15":
          info.keyUsage = decodeKeyUsage(ext.value);
          break;
        case "2.5.29.37":
          info.extKeyUsage = derChildren(readTlv(ext.value, 0)).map((o) => decodeOid(o.content));
          break;
        case "2.5.29.17":
          info.hasSanExtension = true;
          info.san = decodeSan(ext.value);
          break;
        case "2.5.29.14":
          info.ski = decodeKeyId(ext.value, false);
          break;
        case "2.5.29.35":
          info.aki = decodeKeyId(ext.value, true);
          break;
      }
    } catch (err) {
      if (!(err instanceof DerError)) throw err;
      // A malformed extension: OpenSSL would refuse the certificate when it matters; keep what we have.
    }
  }
  return info;
}

function keyBits(x509: X509Certificate): number | null {
  const k = x509.publicKey;
  const d = k.asymmetricKeyDetails;
  if (d?.modulusLength) return d.modulusLength;
  if (k.asymmetricKeyType === "ed25519") return 256;
  if (k.asymmetricKeyType === "ed448") return 456;
  switch (d?.namedCurve) {
    case "prime256v1":
      return 256;
    case "secp384r1":
      return 384;
    case "secp521r1":
      return 521;
    case "secp224r1":
      return 224;
    case "secp256k1":
    case "brainpoolP256r1":
      return 256;
    case "brainpoolP384r1":
      return 384;
    case "brainpoolP512r1":
      return 512;
    case "prime192v1":
      return 192;
  }
  return null;
}

/** node prints names one attribute per line; make it one line, in certificate order. */
export function oneLine(name: string): string {
  return name
    .split("\n")
    .filter((l) => l.length > 0)
    .join(", ");
}

export function isCa(c: CertInfo): boolean {
  return c.basicConstraints?.ca === true;
}

export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / 86_400_000);
}

/** "O=x, CN=y" from the first CN, for short messages. */
export function shortName(c: CertInfo): string {
  const cn = c.commonNames[0];
  return cn ? `CN=${cn.toString("utf8")}` : c.subject;
}

/** Does `issuer` plausibly issue `cert` (names, key ids) and does its key verify the signature? */
export function signedBy(cert: CertInfo, issuer: CertInfo): boolean {
  if (!cert.issuerDer.equals(issuer.subjectDer)) return false;
  if (cert.aki && issuer.ski && !cert.aki.equals(issuer.ski)) return false;
  try {
    return cert.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}
