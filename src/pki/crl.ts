// X.509 CRLs (RFC 5280 §5), read from DER: node:crypto has no CRL object and node-forge cannot parse CRLs.
import { verify as cryptoVerify } from "node:crypto";
import { DerError, decodeOid, derChildren, readTlv, type Tlv } from "./der.js";
import { canonicalNameEncoding } from "./name-hash.js";
import { type CertInfo, oneLine } from "./x509.js";

export interface CrlInfo {
  der: Buffer;
  issuerDer: Buffer;
  issuer: string;
  thisUpdate: Date;
  nextUpdate: Date | null;
  /** Serial numbers (lower-case hex, no leading zero bytes) of revoked certificates. */
  revoked: string[];
  sigAlgOid: string;
  tbs: Buffer;
  signature: Buffer;
}

function decodeTime(t: Tlv): Date {
  const s = t.content.toString("latin1");
  if (t.tag === 0x17) {
    // UTCTime YYMMDDHHMMSSZ; years 50-99 are 19xx.
    const yy = Number(s.slice(0, 2));
    const year = yy >= 50 ? 1900 + yy : 2000 + yy;
    return new Date(
      Date.UTC(
        year,
        Number(s.slice(2, 4)) - 1,
        Number(s.slice(4, 6)),
        Number(s.slice(6, 8)),
        Number(s.slice(8, 10)),
        Number(s.slice(10, 12)),
      ),
    );
  }
  if (t.tag === 0x18) {
    return new Date(
      Date.UTC(
        Number(s.slice(0, 4)),
        Number(s.slice(4, 6)) - 1,
        Number(s.slice(6, 8)),
        Number(s.slice(8, 10)),
        Number(s.slice(10, 12)),
        Number(s.slice(12, 14)),
      ),
    );
  }
  throw new DerError("not a Time");
}

export function normaliseSerial(hex: string): string {
  return hex.toLowerCase().replace(/^(00)+(?=[0-9a-f]{2})/, "");
}

/** The one-line form of a DER Name, as OpenSSL would print it ("O=x, CN=y"). */
export function nameToString(nameDer: Buffer): string {
  const short: Record<string, string> = {
    "2.5.4.3": "CN",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "1.2.840.113549.1.9.1": "emailAddress",
  };
  const parts: string[] = [];
  for (const rdn of derChildren(readTlv(nameDer, 0))) {
    for (const ava of derChildren(rdn)) {
      const [oid, value] = derChildren(ava);
      if (!oid || !value) continue;
      const o = decodeOid(oid.content);
      parts.push(`${short[o] ?? o}=${value.content.toString("utf8")}`);
    }
  }
  return oneLine(parts.join("\n"));
}

export function parseCrl(der: Buffer): CrlInfo {
  const top = readTlv(der, 0);
  const [tbs, sigAlg, sig] = derChildren(top);
  if (top.tag !== 0x30 || !tbs || !sigAlg || !sig || sig.tag !== 0x03) throw new DerError("not a CRL");
  const f = derChildren(tbs);
  let i = 0;
  if (f[0]?.tag === 0x02) i = 1; // version
  const alg = f[i];
  const issuer = f[i + 1];
  const thisUpdate = f[i + 2];
  if (!alg || !issuer || !thisUpdate || issuer.tag !== 0x30) throw new DerError("not a CRL");
  let j = i + 3;
  let nextUpdate: Date | null = null;
  const maybeNext = f[j];
  if (maybeNext && (maybeNext.tag === 0x17 || maybeNext.tag === 0x18)) {
    nextUpdate = decodeTime(maybeNext);
    j++;
  }
  const revoked: string[] = [];
  const list = f[j];
  if (list && list.tag === 0x30) {
    for (const entry of derChildren(list)) {
      const serial = derChildren(entry)[0];
      if (serial) revoked.push(normaliseSerial(serial.content.toString("hex")));
    }
  }
  const algOid = derChildren(sigAlg)[0];
  return {
    der,
    issuerDer: issuer.raw,
    issuer: nameToString(issuer.raw),
    thisUpdate: decodeTime(thisUpdate),
    nextUpdate,
    revoked,
    sigAlgOid: algOid ? decodeOid(algOid.content) : "",
    tbs: tbs.raw,
    signature: sig.content.subarray(1),
  };
}

const HASH_OF: Record<string, string | null> = {
  "1.2.840.113549.1.1.4": "md5",
  "1.2.840.113549.1.1.5": "sha1",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "1.2.840.113549.1.1.14": "sha224",
  "1.2.840.10045.4.1": "sha1",
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
  "1.3.101.112": null,
  "1.3.101.113": null,
};

/** Is this CRL issued (name and signature) by this CA? */
export function crlIssuedBy(crl: CrlInfo, ca: CertInfo): boolean {
  if (!canonicalNameEncoding(crl.issuerDer).equals(canonicalNameEncoding(ca.subjectDer))) return false;
  const hash = HASH_OF[crl.sigAlgOid];
  if (hash === undefined) return false;
  try {
    return cryptoVerify(hash, crl.tbs, ca.x509.publicKey, crl.signature);
  } catch {
    return false;
  }
}

export function crlRevokes(crl: CrlInfo, cert: CertInfo): boolean {
  return (
    canonicalNameEncoding(crl.issuerDer).equals(canonicalNameEncoding(cert.issuerDer)) &&
    crl.revoked.includes(normaliseSerial(cert.serialHex))
  );
}
