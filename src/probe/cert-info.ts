// Readable facts about one certificate the server sent (node:crypto plus the shared DER reader for what
// node:crypto does not expose in Node 20: the signature algorithm).
import { X509Certificate } from "node:crypto";
import { parseCertificateDer } from "../pki/der.js";
import { daysBetween, parseCertificate } from "../pki/x509.js";
import type { CertFacts } from "./types.js";

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  "1.2.840.113549.1.1.2": "md2WithRSAEncryption",
  "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
  "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
  "1.2.840.113549.1.1.10": "RSASSA-PSS",
  "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
  "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
  "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
  "1.2.840.113549.1.1.14": "sha224WithRSAEncryption",
  "1.2.840.10040.4.3": "dsa-with-SHA1",
  "2.16.840.1.101.3.4.3.2": "dsa-with-SHA256",
  "1.2.840.10045.4.1": "ecdsa-with-SHA1",
  "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
  "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
  "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
  "1.3.101.112": "ED25519",
  "1.3.101.113": "ED448",
};

export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_ALGORITHMS[oid] ?? oid;
}

/** One line per RDN as Node prints them ("CN=db\nO=Acme") becomes "CN=db, O=Acme". */
export function oneLineName(name: string): string {
  return name.split("\n").filter(Boolean).join(", ");
}

export function certFacts(der: Buffer, now: Date = new Date()): CertFacts {
  const x = new X509Certificate(der);
  const key = x.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  let sigOid = "";
  let keySecurityBits: number | null = null;
  let signatureSecurityBits: number | null = null;
  let bits: number | null = null;
  try {
    sigOid = parseCertificateDer(der).sigAlgOid;
    // The strengths as src/pki rates them for a certificate read from a file: one model for both paths.
    const info = parseCertificate(der);
    keySecurityBits = info.keySecurityBits;
    signatureSecurityBits = info.signatureSecurityBits;
    bits = info.keyBits;
  } catch {
    // OpenSSL parsed it, so this is only our minimal reader giving up; the algorithm stays unknown.
  }
  const facts: CertFacts = {
    subject: oneLineName(x.subject),
    issuer: oneLineName(x.issuer),
    serialNumber: x.serialNumber,
    notBefore: new Date(x.validFrom).toISOString(),
    notAfter: new Date(x.validTo).toISOString(),
    daysLeft: daysBetween(now, new Date(x.validTo)),
    fingerprint256: x.fingerprint256,
    selfIssued: x.subject === x.issuer,
    isCa: x.ca,
    keyType: key.asymmetricKeyType ?? "unknown",
    keySecurityBits,
    signatureAlgorithm: sigOid ? signatureAlgorithmName(sigOid) : "unknown",
    signatureSecurityBits,
  };
  if (x.subjectAltName) facts.subjectAltName = x.subjectAltName;
  if (typeof details.modulusLength === "number") facts.keyBits = details.modulusLength;
  else if (bits !== null) facts.keyBits = bits;
  if (typeof details.namedCurve === "string") facts.curve = details.namedCurve;
  return facts;
}
