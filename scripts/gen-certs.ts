// The lab PKI: every certificate, key and CRL the tests and the TLS lab use, made fresh so nothing expires in CI.
// Keys come from node:crypto (native, fast, and the only way to get EC P-256 / Ed25519 keys); the certificates'
// TBS structures (names, validity, extensions) are assembled with node-forge, the subject public key is spliced
// in as node:crypto's SPKI DER (forge only knows RSA keys), and the TBS is signed with node:crypto. CRLs, which
// forge cannot build, are assembled with forge's ASN.1 encoder. No openssl binary is needed.
import {
  createHash,
  createPublicKey,
  sign as cryptoSign,
  generateKeyPair,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import forge from "node-forge";
import { derChildren, readTlv } from "../src/pki/der.js";
import { x509NameHash } from "../src/pki/name-hash.js";

/** Bump when the set or shape of generated files changes: an older manifest then forces regeneration. */
export const GENERATOR_VERSION = 5;
/** The passphrase of the lab's encrypted client keys. Lab-only material; never a real secret. */
export const LAB_KEY_PASSPHRASE = "dbdoctor-lab-passphrase";
/** Regenerate when any certificate meant to be valid expires within this many days. */
const RENEW_WITHIN_DAYS = 7;

export type LabKeyType = "rsa2048" | "rsa1024" | "ec-p256" | "ed25519" | "brainpool-p256";

export interface CertManifestEntry {
  /** File name relative to the certs directory. */
  file: string;
  kind: "certificate" | "chain" | "private-key" | "crl" | "crl-dir" | "trust-store";
  role: "ca" | "server" | "client" | "crl";
  /** What the file is for in the lab, in words. */
  purpose: string;
  /** The certificate (or chain leaf / key owner) this file belongs to. */
  cert?: string;
  subject?: string;
  issuer?: string;
  sans?: string[];
  notBefore?: string;
  notAfter?: string;
  serial?: string;
  keyType?: LabKeyType;
  signatureHash?: "sha256" | "sha1";
  /** The certificate's signature algorithm as OpenSSL names it (sha256WithRSAEncryption, ED25519, ...). */
  signatureAlgorithm?: string;
  /** Short-lived on purpose (e.g. a leaf that expires in 10 days): regenerate after this date to keep it so. */
  renewAfter?: string;
  /** Certificates meant to be currently valid (checked for renewal); expired/not-yet-valid ones on purpose are false. */
  expectValid?: boolean;
  /** Key files: PEM or DER, and how it is encrypted. */
  format?: "pem" | "der";
  encryption?: "none" | "pkcs8" | "traditional";
  /** Chain files: names of the certificates in order, leaf first. */
  chain?: string[];
  /** CRL files: names of the certificates revoked, and nextUpdate. */
  revokes?: string[];
  thisUpdate?: string;
  nextUpdate?: string;
}

export interface CertManifest {
  generatorVersion: number;
  generatedAt: string;
  dir: string;
  files: Record<string, CertManifestEntry>;
}

export type San = { dns: string } | { ip: string };

interface CertSpec {
  name: string;
  role: "ca" | "server" | "client";
  /** The issuing CA's name, or "self". */
  issuer: string;
  cn: string;
  sans?: San[];
  key: LabKeyType;
  fromDays: number;
  toDays: number;
  md?: "sha256" | "sha1";
  eku?: ("serverAuth" | "clientAuth")[];
  /** A self-signed leaf shaped like `openssl req -x509` makes it (CA:TRUE). */
  selfSignedLeaf?: boolean;
  expectValid: boolean;
  purpose: string;
  /** Also write "<name>-chain.crt" = leaf + its issuing intermediate. */
  chainFile?: boolean;
  /** A CA without basicConstraints (and without keyUsage): OpenSSL's check_ca() refuses it as an issuer. */
  noBasicConstraints?: boolean;
  /** A v3 certificate with no extensions at all (shaped like an old `openssl req -x509` without a config). */
  noExtensions?: boolean;
  /** Regenerate the PKI this many days after generation (for certificates whose remaining life matters). */
  renewAfterDays?: number;
}

const GOOD_NAMES: San[] = [{ dns: "localhost" }, { ip: "127.0.0.1" }, { ip: "::1" }];
const YEAR = 365;

const SPECS: CertSpec[] = [
  // CAs
  {
    name: "root-ca",
    role: "ca",
    issuer: "self",
    cn: "dbdoctor lab root CA",
    key: "rsa2048",
    fromDays: -1,
    toDays: 10 * YEAR,
    expectValid: true,
    purpose: "the lab's trusted root",
  },
  {
    name: "intermediate-ca",
    role: "ca",
    issuer: "root-ca",
    cn: "dbdoctor lab intermediate CA",
    key: "rsa2048",
    fromDays: -1,
    toDays: 5 * YEAR,
    expectValid: true,
    purpose: "intermediate CA signed by root-ca",
  },
  {
    name: "other-ca",
    role: "ca",
    issuer: "self",
    cn: "dbdoctor unrelated CA",
    key: "rsa2048",
    fromDays: -1,
    toDays: 10 * YEAR,
    expectValid: true,
    purpose: "an unrelated root that trusts nothing of the lab's",
  },
  {
    name: "expired-root-ca",
    role: "ca",
    issuer: "self",
    cn: "dbdoctor expired root CA",
    key: "rsa2048",
    fromDays: -400,
    toDays: -35,
    expectValid: false,
    purpose: "a root CA that has expired",
  },
  // Server certificates
  {
    name: "server-good",
    role: "server",
    issuer: "root-ca",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "valid server certificate, SAN DNS:localhost IP:127.0.0.1 IP:::1",
  },
  {
    name: "server-cn-only",
    role: "server",
    issuer: "root-ca",
    cn: "localhost",
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "CN=localhost and no SAN extension",
  },
  {
    name: "server-dns-only",
    role: "server",
    issuer: "root-ca",
    cn: "localhost",
    sans: [{ dns: "localhost" }],
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "SAN DNS:localhost only (no IP SAN)",
  },
  {
    name: "server-wildcard",
    role: "server",
    issuer: "root-ca",
    cn: "*.lab.test",
    sans: [{ dns: "*.lab.test" }],
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "SAN DNS:*.lab.test",
  },
  {
    name: "server-wrong-host",
    role: "server",
    issuer: "root-ca",
    cn: "db.wrong.example",
    sans: [{ dns: "db.wrong.example" }],
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "names db.wrong.example only",
  },
  {
    name: "server-expired",
    role: "server",
    issuer: "root-ca",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "rsa2048",
    fromDays: -60,
    toDays: -30,
    eku: ["serverAuth"],
    expectValid: false,
    purpose: "expired 30 days ago",
  },
  {
    // Regenerated (with the whole PKI) once fewer than RENEW_WITHIN_DAYS are left, so it always expires within the
    // default --warn-days but never before a test run ends.
    name: "server-expiring",
    role: "server",
    issuer: "root-ca",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "rsa2048",
    fromDays: -1,
    toDays: 14,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "valid, but expires in 7 to 14 days (within the default --warn-days 30)",
  },
  {
    name: "server-not-yet-valid",
    role: "server",
    issuer: "root-ca",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "rsa2048",
    fromDays: 30,
    toDays: 30 + YEAR,
    eku: ["serverAuth"],
    expectValid: false,
    purpose: "valid only from 30 days from now",
  },
  {
    name: "server-self-signed",
    role: "server",
    issuer: "self",
    cn: "localhost",
    sans: [{ dns: "localhost" }, { ip: "127.0.0.1" }],
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    selfSignedLeaf: true,
    expectValid: true,
    purpose: "self-signed (openssl req -x509 shape), SAN localhost/127.0.0.1",
  },
  {
    name: "server-intermediate",
    role: "server",
    issuer: "intermediate-ca",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    chainFile: true,
    purpose: "leaf signed by intermediate-ca (.crt leaf only, -chain.crt leaf + intermediate)",
  },
  {
    name: "server-sha1",
    role: "server",
    issuer: "root-ca",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    md: "sha1",
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "signed with sha1WithRSAEncryption",
  },
  {
    name: "server-rsa1024",
    role: "server",
    issuer: "root-ca",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "rsa1024",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "RSA 1024-bit key",
  },
  {
    name: "server-ecdsa",
    role: "server",
    issuer: "root-ca",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "ec-p256",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "ECDSA P-256 key",
  },
  {
    name: "server-ed25519",
    role: "server",
    issuer: "root-ca",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "ed25519",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "Ed25519 key",
  },
  {
    name: "server-revoked",
    role: "server",
    issuer: "root-ca",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "good names, revoked by root.crl",
  },
  {
    name: "server-expired-ca",
    role: "server",
    issuer: "expired-root-ca",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "valid leaf issued by expired-root-ca",
  },
  {
    name: "server-untrusted",
    role: "server",
    issuer: "other-ca",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "good names, issued by the unrelated other-ca",
  },
  // Client certificates
  {
    name: "client-good",
    role: "client",
    issuer: "root-ca",
    cn: "dbdoctor",
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["clientAuth"],
    expectValid: true,
    purpose: "client certificate CN=dbdoctor (the database user)",
  },
  {
    name: "client-other-cn",
    role: "client",
    issuer: "root-ca",
    cn: "someone-else",
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["clientAuth"],
    expectValid: true,
    purpose: "client certificate for another user",
  },
  {
    name: "client-expired",
    role: "client",
    issuer: "root-ca",
    cn: "dbdoctor",
    key: "rsa2048",
    fromDays: -60,
    toDays: -30,
    eku: ["clientAuth"],
    expectValid: false,
    purpose: "expired client certificate",
  },
  {
    name: "client-untrusted",
    role: "client",
    issuer: "other-ca",
    cn: "dbdoctor",
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["clientAuth"],
    expectValid: true,
    purpose: "client certificate issued by other-ca",
  },
  {
    name: "client-revoked",
    role: "client",
    issuer: "root-ca",
    cn: "dbdoctor",
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["clientAuth"],
    expectValid: true,
    purpose: "client certificate revoked by root.crl",
  },
  {
    name: "client-intermediate",
    role: "client",
    issuer: "intermediate-ca",
    cn: "dbdoctor",
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["clientAuth"],
    expectValid: true,
    chainFile: true,
    purpose: "client certificate signed by intermediate-ca (-chain.crt as libpq expects in sslcert)",
  },
  {
    name: "client-server-eku",
    role: "client",
    issuer: "root-ca",
    cn: "dbdoctor",
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "client certificate whose EKU allows serverAuth only",
  },
  // Issue 12/14 edge cases: what a real client does with them is measured by test/integration/clients-vs-lab.
  {
    name: "ed25519-ca",
    role: "ca",
    issuer: "self",
    cn: "dbdoctor lab Ed25519 CA",
    key: "ed25519",
    fromDays: -1,
    toDays: 10 * YEAR,
    expectValid: true,
    purpose: "a root CA whose key (and so every signature it makes) is Ed25519",
  },
  {
    name: "intermediate-no-bc",
    role: "ca",
    issuer: "root-ca",
    cn: "dbdoctor lab intermediate without basicConstraints",
    key: "rsa2048",
    fromDays: -1,
    toDays: 5 * YEAR,
    noBasicConstraints: true,
    expectValid: true,
    purpose: "an intermediate signed by root-ca with neither basicConstraints nor keyUsage (OpenSSL: invalid CA)",
  },
  {
    name: "root-v3-noext",
    role: "ca",
    issuer: "self",
    cn: "dbdoctor lab v3 root without extensions",
    key: "rsa2048",
    fromDays: -1,
    toDays: 10 * YEAR,
    noExtensions: true,
    expectValid: true,
    purpose: "a self-signed X.509 v3 root with no extensions at all (no basicConstraints, no keyUsage)",
  },
  {
    name: "server-ed25519-signed",
    role: "server",
    issuer: "ed25519-ca",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "RSA leaf signed by ed25519-ca: its signature algorithm has no digest (SCRAM channel binding fails)",
  },
  {
    name: "server-no-bc-intermediate",
    role: "server",
    issuer: "intermediate-no-bc",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    chainFile: true,
    purpose: "leaf signed by intermediate-no-bc (-chain.crt: leaf + that intermediate)",
  },
  {
    name: "server-v3-noext-root",
    role: "server",
    issuer: "root-v3-noext",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "rsa2048",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "leaf signed by root-v3-noext",
  },
  {
    name: "server-expiring",
    role: "server",
    issuer: "root-ca",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "rsa2048",
    fromDays: -1,
    toDays: 10,
    renewAfterDays: 1,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "a good leaf that expires 10 days after generation (the PKI is regenerated daily to keep it near 10)",
  },
  {
    name: "server-brainpool",
    role: "server",
    issuer: "root-ca",
    cn: "localhost",
    sans: GOOD_NAMES,
    key: "brainpool-p256",
    fromDays: -1,
    toDays: YEAR,
    eku: ["serverAuth"],
    expectValid: true,
    purpose: "ECDSA key on brainpoolP256r1, signed by root-ca",
  },
];

interface Issued {
  spec: CertSpec;
  key: KeyObject;
  signatureAlgorithm: string;
  certDer: Buffer;
  certPem: string;
  ski: Buffer;
  subjectDer: Buffer;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
}

const generateKeyPairAsync = promisify(generateKeyPair);

async function makeKey(type: LabKeyType): Promise<KeyObject> {
  switch (type) {
    case "rsa2048":
      return (await generateKeyPairAsync("rsa", { modulusLength: 2048 })).privateKey;
    case "rsa1024":
      return (await generateKeyPairAsync("rsa", { modulusLength: 1024 })).privateKey;
    case "ec-p256":
      return (await generateKeyPairAsync("ec", { namedCurve: "prime256v1" })).privateKey;
    case "ed25519":
      return (await generateKeyPairAsync("ed25519", {})).privateKey;
    case "brainpool-p256":
      return (await generateKeyPairAsync("ec", { namedCurve: "brainpoolP256r1" })).privateKey;
  }
}

function daysFromNow(now: Date, days: number): Date {
  return new Date(now.getTime() + days * 86_400_000);
}

function randomSerialHex(): string {
  const bytes = randomBytes(16);
  // Positive INTEGER with no leading zero byte.
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x10;
  return bytes.toString("hex");
}

function publicDer(key: KeyObject): Buffer {
  return createPublicKey(key).export({ format: "der", type: "spki" });
}

/** RFC 5280 method 1 key identifier: SHA-1 of the subjectPublicKey BIT STRING value. */
function keyIdentifier(spki: Buffer): Buffer {
  const [, bits] = derChildren(readTlv(spki, 0));
  if (!bits) throw new Error("malformed SPKI");
  return createHash("sha1").update(bits.content.subarray(1)).digest();
}

const asn1 = forge.asn1;
/** Present in node-forge's x509.js but missing from @types/node-forge. */
interface ForgeTbs {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1 & { value: forge.asn1.Asn1[] };
}
const SIG_OIDS = { sha256: "1.2.840.113549.1.1.11", sha1: "1.2.840.113549.1.1.5" } as const;

function bin(buf: Buffer): string {
  return buf.toString("binary");
}

function derToForge(buf: Buffer): forge.asn1.Asn1 {
  return asn1.fromDer(forge.util.createBuffer(bin(buf)));
}

function forgeToDer(node: forge.asn1.Asn1): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), "binary");
}

function algorithmIdentifier(oid: string, nullParams = true): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
    ...(nullParams ? [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, "")] : []),
  ]);
}

/** How an issuer's key signs a certificate: the AlgorithmIdentifier it writes and the signature itself. */
interface SignatureAlgorithm {
  oid: string;
  /** RSA's AlgorithmIdentifier carries NULL parameters; ECDSA's and EdDSA's carry none (RFC 5758, RFC 8410). */
  nullParams: boolean;
  /** OpenSSL's name for it (`openssl x509 -text`: Signature Algorithm). */
  name: string;
  sign(tbs: Buffer): Buffer;
}

function signatureAlgorithm(issuerKey: KeyObject, md: "sha256" | "sha1"): SignatureAlgorithm {
  switch (issuerKey.asymmetricKeyType) {
    case "rsa":
      return {
        oid: SIG_OIDS[md],
        nullParams: true,
        name: `${md}WithRSAEncryption`,
        sign: (tbs) => cryptoSign(md, tbs, issuerKey),
      };
    case "ed25519":
      // Ed25519 signs the message itself, with no separate digest: OpenSSL's OBJ_find_sigid_algs gives NID_undef
      // as its digest, which is what breaks tls-server-end-point channel binding (RFC 5929 needs a hash).
      return {
        oid: "1.3.101.112",
        nullParams: false,
        name: "ED25519",
        sign: (tbs) => cryptoSign(null, tbs, issuerKey),
      };
    case "ec":
      return {
        oid: "1.2.840.10045.4.3.2",
        nullParams: false,
        name: "ecdsa-with-SHA256",
        sign: (tbs) => cryptoSign("sha256", tbs, issuerKey),
      };
    default:
      throw new Error(`lab CAs cannot sign with a ${issuerKey.asymmetricKeyType} key`);
  }
}

function signRsa(md: "sha256" | "sha1", tbs: Buffer, issuerKey: KeyObject): Buffer {
  if (issuerKey.asymmetricKeyType !== "rsa") throw new Error("lab CAs are RSA");
  return cryptoSign(md, tbs, issuerKey);
}

function pem(type: string, der: Buffer): string {
  const b64 = der
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .replace(/\n$/, "");
  return `-----BEGIN ${type}-----\n${b64}\n-----END ${type}-----\n`;
}

function sanText(s: San): string {
  return "dns" in s ? `DNS:${s.dns}` : `IP:${s.ip}`;
}

function issueCertificate(spec: CertSpec, key: KeyObject, issuer: Issued | null, now: Date): Issued {
  const md = spec.md ?? "sha256";
  const spki = publicDer(key);
  const ski = keyIdentifier(spki);
  const cert = forge.pki.createCertificate();
  // Placeholder RSA key: forge needs one to build the TBS; the real SPKI (any algorithm) is spliced in below.
  cert.publicKey = forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger("3"), new forge.jsbn.BigInteger("65537"));
  const serialHex = randomSerialHex();
  cert.serialNumber = serialHex;
  const notBefore = daysFromNow(now, spec.fromDays);
  const notAfter = daysFromNow(now, spec.toDays);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  // An empty cn gives a certificate without a CN (like PostgreSQL's server-no-names).
  const subjectAttrs = [
    { name: "organizationName", value: "dbdoctor lab" },
    ...(spec.cn ? [{ name: "commonName", value: spec.cn }] : []),
  ];
  cert.setSubject(subjectAttrs);
  cert.setIssuer(issuer ? issuerAttrs(issuer) : subjectAttrs);

  const exts: object[] = [];
  if (spec.noBasicConstraints) {
    // Neither basicConstraints nor keyUsage: only the key identifiers below.
  } else if (spec.role === "ca" || spec.selfSignedLeaf) {
    exts.push({ name: "basicConstraints", cA: true, critical: true });
    if (spec.role === "ca") {
      exts.push({ name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true });
    }
  } else {
    exts.push({ name: "basicConstraints", cA: false, critical: true });
    const isRsa = spec.key.startsWith("rsa");
    exts.push({ name: "keyUsage", digitalSignature: true, keyEncipherment: isRsa, critical: true });
    if (spec.eku) {
      exts.push({
        name: "extKeyUsage",
        serverAuth: spec.eku.includes("serverAuth"),
        clientAuth: spec.eku.includes("clientAuth"),
      });
    }
  }
  if (spec.sans) {
    exts.push({
      name: "subjectAltName",
      altNames: spec.sans.map((s) => ("dns" in s ? { type: 2, value: s.dns } : { type: 7, ip: s.ip })),
    });
  }
  exts.push({
    name: "subjectKeyIdentifier",
    value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bin(ski)),
  });
  exts.push({ name: "authorityKeyIdentifier", keyIdentifier: bin(issuer ? issuer.ski : ski) });
  // forge leaves the extensions field out of a v3 certificate when the list is empty.
  cert.setExtensions(spec.noExtensions ? [] : exts);

  const alg = signatureAlgorithm(issuer ? issuer.key : key, md);
  // forge knows RSA only: it builds the TBS with an RSA placeholder, then the real algorithm is spliced in.
  cert.siginfo.algorithmOid = SIG_OIDS.sha256;
  const tbs = (forge.pki as unknown as ForgeTbs).getTBSCertificate(cert);
  // TBS fields: [0]version, serial, signature, issuer, validity, subject, SPKI, extensions.
  tbs.value.splice(2, 1, algorithmIdentifier(alg.oid, alg.nullParams));
  tbs.value.splice(6, 1, derToForge(spki));
  const tbsDer = forgeToDer(tbs);
  const signature = alg.sign(tbsDer);
  const certDer = forgeToDer(
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      tbs,
      algorithmIdentifier(alg.oid, alg.nullParams),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${bin(signature)}`),
    ]),
  );
  const subjectDer = forgeToDer(forge.pki.distinguishedNameToAsn1(cert.subject));
  return {
    spec,
    key,
    signatureAlgorithm: alg.name,
    certDer,
    certPem: pem("CERTIFICATE", certDer),
    ski,
    subjectDer,
    serialHex,
    notBefore,
    notAfter,
  };
}

/** The digest inside the signature algorithm (none for Ed25519, which signs without one). */
function signatureHash(it: Issued): "sha256" | "sha1" | undefined {
  if (it.signatureAlgorithm === "ED25519") return undefined;
  return it.signatureAlgorithm.startsWith("sha1") ? "sha1" : "sha256";
}

function issuerAttrs(issuer: Issued): { name: string; value: string }[] {
  return [
    { name: "organizationName", value: "dbdoctor lab" },
    { name: "commonName", value: issuer.spec.cn },
  ];
}

function subjectText(cn: string): string {
  return `O=dbdoctor lab, CN=${cn}`;
}

/** A v2 CRL signed by `issuer`, revoking the given certificates. */
function buildCrl(issuer: Issued, revoked: Issued[], thisUpdate: Date, nextUpdate: Date): Buffer {
  const utc = (d: Date) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(d));
  const revokedSeq = revoked.map((r) =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(r.serialHex)),
      utc(thisUpdate),
    ]),
  );
  const crlNumber = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer("2.5.29.20").getBytes()),
    asn1.create(
      asn1.Class.UNIVERSAL,
      asn1.Type.OCTETSTRING,
      false,
      asn1.toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, "\u0001")).getBytes(),
    ),
  ]);
  const aki = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer("2.5.29.35").getBytes()),
    asn1.create(
      asn1.Class.UNIVERSAL,
      asn1.Type.OCTETSTRING,
      false,
      asn1
        .toDer(
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
            asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, bin(issuer.ski)),
          ]),
        )
        .getBytes(),
    ),
  ]);
  const fields: forge.asn1.Asn1[] = [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, "\u0001"),
    algorithmIdentifier(SIG_OIDS.sha256),
    derToForge(issuer.subjectDer),
    utc(thisUpdate),
    utc(nextUpdate),
  ];
  if (revokedSeq.length > 0) fields.push(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, revokedSeq));
  fields.push(
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [aki, crlNumber]),
    ]),
  );
  const tbs = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, fields);
  const tbsDer = forgeToDer(tbs);
  const signature = signRsa("sha256", tbsDer, issuer.key);
  return forgeToDer(
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      tbs,
      algorithmIdentifier(SIG_OIDS.sha256),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${bin(signature)}`),
    ]),
  );
}

/**
 * A one-off self-signed leaf certificate with the given CN (empty for none) and SANs, for tests that need
 * certificates shaped like PostgreSQL's own ssl test certificates.
 */
export async function makeCertificate(opts: {
  cn: string;
  sans?: San[];
  key?: LabKeyType;
}): Promise<{ der: Buffer; pem: string }> {
  const key = await makeKey(opts.key ?? "ec-p256");
  const spec: CertSpec = {
    name: "test",
    role: "server",
    issuer: "self",
    cn: opts.cn,
    key: opts.key ?? "ec-p256",
    fromDays: -1,
    toDays: 30,
    expectValid: true,
    purpose: "test",
    ...(opts.sans ? { sans: opts.sans } : {}),
  };
  if (!spec.key.startsWith("rsa")) {
    // Self-signing needs an RSA key in this generator: sign with a throwaway RSA CA instead.
    const caKey = await makeKey("rsa2048");
    const ca = issueCertificate(
      { ...spec, name: "test-ca", role: "ca", cn: "test CA", key: "rsa2048" },
      caKey,
      null,
      new Date(),
    );
    const it = issueCertificate({ ...spec, issuer: "test-ca" }, key, ca, new Date());
    return { der: it.certDer, pem: it.certPem };
  }
  const it = issueCertificate(spec, key, null, new Date());
  return { der: it.certDer, pem: it.certPem };
}

function defaultDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "certs");
}

async function readManifest(dir: string): Promise<CertManifest | null> {
  try {
    return JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as CertManifest;
  } catch {
    return null;
  }
}

function isFresh(m: CertManifest | null, dir: string, now: Date): m is CertManifest {
  if (!m || m.generatorVersion !== GENERATOR_VERSION) return false;
  const horizon = daysFromNow(now, RENEW_WITHIN_DAYS).getTime();
  for (const e of Object.values(m.files)) {
    if (!existsSync(join(dir, e.file))) return false;
    if (e.expectValid && e.notAfter && Date.parse(e.notAfter) < horizon) return false;
    if (e.expectValid && e.notBefore && Date.parse(e.notBefore) > now.getTime()) return false;
    if (e.kind === "crl" && e.expectValid && e.nextUpdate && Date.parse(e.nextUpdate) < horizon) return false;
    if (e.renewAfter && Date.parse(e.renewAfter) < now.getTime()) return false;
  }
  return true;
}

/** Serialise generation across processes (tests and the lab may call this at once) with an O_EXCL lock file. */
async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const lockPath = join(dir, ".gen-certs.lock");
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const fh = await open(lockPath, "wx");
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const st = await stat(lockPath).catch(() => null);
      // A lock older than a minute belongs to a crashed run.
      if (st && Date.now() - st.mtimeMs > 60_000) await rm(lockPath, { force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockPath}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function writeAtomic(path: string, data: string | Buffer, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

/**
 * Make sure `dir` (default: the repository's certs/) holds a complete, current lab PKI; regenerate otherwise.
 * Returns the manifest describing every file.
 */
export async function ensureCerts(dir: string = defaultDir()): Promise<CertManifest> {
  const abs = resolve(dir);
  await mkdir(abs, { recursive: true });
  const now = new Date();
  const existing = await readManifest(abs);
  if (isFresh(existing, abs, now)) return existing;
  return withLock(abs, async () => {
    const again = await readManifest(abs);
    if (isFresh(again, abs, new Date())) return again;
    return generate(abs, new Date());
  });
}

async function generate(dir: string, now: Date): Promise<CertManifest> {
  const keys = await Promise.all(SPECS.map((s) => makeKey(s.key)));
  const issued = new Map<string, Issued>();
  SPECS.forEach((spec, i) => {
    const issuer = spec.issuer === "self" ? null : issued.get(spec.issuer);
    if (spec.issuer !== "self" && !issuer) throw new Error(`${spec.name}: issuer ${spec.issuer} not yet issued`);
    issued.set(spec.name, issueCertificate(spec, keys[i] as KeyObject, issuer ?? null, now));
  });

  const files: Record<string, CertManifestEntry> = {};
  const writes: Promise<void>[] = [];
  const put = (entry: CertManifestEntry, data: string | Buffer, mode = 0o644) => {
    files[entry.file] = entry;
    writes.push(writeAtomic(join(dir, entry.file), data, mode));
  };
  const get = (name: string): Issued => {
    const it = issued.get(name);
    if (!it) throw new Error(`unknown lab certificate ${name}`);
    return it;
  };

  for (const it of issued.values()) {
    const { spec } = it;
    const issuerName = spec.issuer === "self" ? spec.name : spec.issuer;
    const base = {
      role: spec.role,
      cert: spec.name,
      subject: subjectText(spec.cn),
      issuer: subjectText(spec.issuer === "self" ? spec.cn : get(spec.issuer).spec.cn),
      notBefore: it.notBefore.toISOString(),
      notAfter: it.notAfter.toISOString(),
      serial: it.serialHex,
      keyType: spec.key,
      expectValid: spec.expectValid,
    } satisfies Partial<CertManifestEntry>;
    const sans = spec.sans?.map(sanText);
    put(
      {
        ...base,
        file: `${spec.name}.crt`,
        kind: "certificate",
        purpose: spec.purpose,
        ...(signatureHash(it) ? { signatureHash: signatureHash(it) } : {}),
        signatureAlgorithm: it.signatureAlgorithm,
        ...(spec.renewAfterDays !== undefined
          ? { renewAfter: daysFromNow(now, spec.renewAfterDays).toISOString() }
          : {}),
        ...(sans ? { sans } : {}),
      },
      it.certPem,
    );
    put(
      {
        file: `${spec.name}.key`,
        kind: "private-key",
        role: spec.role,
        cert: spec.name,
        keyType: spec.key,
        format: "pem",
        encryption: "none",
        purpose: `private key of ${spec.name}`,
      },
      it.key.export({ format: "pem", type: "pkcs8" }) as string,
      0o600,
    );
    if (spec.chainFile) {
      const inter = get(issuerName);
      put(
        {
          ...base,
          file: `${spec.name}-chain.crt`,
          kind: "chain",
          purpose: `${spec.name} followed by ${inter.spec.name}`,
          chain: [spec.name, inter.spec.name],
        },
        it.certPem + inter.certPem,
      );
    }
  }

  // The client-good key in the other formats libpq users meet.
  const clientGood = get("client-good");
  const keyEntry = (
    file: string,
    format: "pem" | "der",
    encryption: "none" | "pkcs8" | "traditional",
    purpose: string,
  ) =>
    ({
      file,
      kind: "private-key",
      role: "client",
      cert: "client-good",
      keyType: "rsa2048",
      format,
      encryption,
      purpose,
    }) satisfies CertManifestEntry;
  put(
    keyEntry(
      "client-good-pkcs8-encrypted.key",
      "pem",
      "pkcs8",
      "client-good key, PKCS#8 encrypted (AES-256-CBC, PBES2)",
    ),
    clientGood.key.export({
      format: "pem",
      type: "pkcs8",
      cipher: "aes-256-cbc",
      passphrase: LAB_KEY_PASSPHRASE,
    }) as string,
    0o600,
  );
  put(
    keyEntry(
      "client-good-traditional-encrypted.key",
      "pem",
      "traditional",
      "client-good key, traditional PEM encrypted (Proc-Type/DEK-Info AES-256-CBC)",
    ),
    clientGood.key.export({
      format: "pem",
      type: "pkcs1",
      cipher: "aes-256-cbc",
      passphrase: LAB_KEY_PASSPHRASE,
    }) as string,
    0o600,
  );
  put(
    keyEntry("client-good.der.key", "der", "none", "client-good key as DER (PKCS#8)"),
    clientGood.key.export({ format: "der", type: "pkcs8" }) as Buffer,
    0o600,
  );

  // CRLs: root.crl revokes one server and one client certificate; intermediate.crl revokes nothing (OpenSSL's
  // CRL_CHECK_ALL, which libpq sets, wants a CRL for every CA in the chain); root-stale.crl is past nextUpdate.
  const root = get("root-ca");
  const revokedNames = ["server-revoked", "client-revoked"];
  const crls: {
    file: string;
    issuer: Issued;
    revokes: string[];
    from: number;
    to: number;
    valid: boolean;
    purpose: string;
  }[] = [
    {
      file: "root.crl",
      issuer: root,
      revokes: revokedNames,
      from: -1,
      to: YEAR,
      valid: true,
      purpose: "CRL by root-ca revoking server-revoked and client-revoked",
    },
    {
      file: "intermediate.crl",
      issuer: get("intermediate-ca"),
      revokes: [],
      from: -1,
      to: YEAR,
      valid: true,
      purpose: "empty CRL by intermediate-ca",
    },
    {
      file: "other-ca.crl",
      issuer: get("other-ca"),
      revokes: [],
      from: -1,
      to: YEAR,
      valid: true,
      purpose: "empty CRL by other-ca (wrong issuer for the lab's certificates)",
    },
    {
      file: "root-stale.crl",
      issuer: root,
      revokes: revokedNames,
      from: -60,
      to: -30,
      valid: false,
      purpose: "CRL by root-ca whose nextUpdate passed 30 days ago",
    },
    {
      file: "root-future.crl",
      issuer: root,
      revokes: [],
      from: 30,
      to: YEAR,
      valid: false,
      purpose: "CRL by root-ca whose thisUpdate is 30 days ahead",
    },
  ];
  await mkdir(join(dir, "crldir"), { recursive: true });
  const crlDirFiles: string[] = [];
  for (const c of crls) {
    const thisUpdate = daysFromNow(now, c.from);
    const nextUpdate = daysFromNow(now, c.to);
    const der = buildCrl(c.issuer, c.revokes.map(get), thisUpdate, nextUpdate);
    const entry: CertManifestEntry = {
      file: c.file,
      kind: "crl",
      role: "crl",
      purpose: c.purpose,
      issuer: subjectText(c.issuer.spec.cn),
      revokes: c.revokes,
      thisUpdate: thisUpdate.toISOString(),
      nextUpdate: nextUpdate.toISOString(),
      expectValid: c.valid,
    };
    put(entry, pem("X509 CRL", der));
    if (c.file === "root.crl" || c.file === "intermediate.crl") {
      // Named as `openssl rehash` would: <issuer name hash>.r0.
      const hashed = `crldir/${x509NameHash(c.issuer.subjectDer)}.r0`;
      crlDirFiles.push(hashed);
      put({ ...entry, file: hashed, purpose: `${c.file}, rehashed for sslcrldir` }, pem("X509 CRL", der));
    }
  }
  // A stand-in for Debian's system trust store (/etc/ssl/certs): the bundle file and the hashed directory entry
  // OpenSSL's default verify paths read. Tests bind-mount it over /etc/ssl/certs inside a private mount
  // namespace only, so the machine's own store is never touched.
  const rootCa = get("root-ca");
  const storeFiles = ["system-store/ca-certificates.crt", `system-store/${x509NameHash(rootCa.subjectDer)}.0`];
  await mkdir(join(dir, "system-store"), { recursive: true });
  for (const f of storeFiles) {
    put(
      { file: f, kind: "trust-store", role: "ca", cert: "root-ca", purpose: "the lab root as a system trust store" },
      rootCa.certPem,
    );
  }
  files["system-store"] = {
    file: "system-store",
    kind: "trust-store",
    role: "ca",
    purpose: `a system trust store holding only root-ca (${storeFiles.join(", ")}), for a private bind mount`,
  };

  files.crldir = {
    file: "crldir",
    kind: "crl-dir",
    role: "crl",
    purpose: `rehashed CRL directory for sslcrldir (${crlDirFiles.join(", ")})`,
    revokes: revokedNames,
  };

  await Promise.all(writes);
  const manifest: CertManifest = { generatorVersion: GENERATOR_VERSION, generatedAt: now.toISOString(), dir, files };
  await writeAtomic(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`, 0o644);
  return manifest;
}

// `npm run certs` / `tsx scripts/gen-certs.ts [dir]`
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  ensureCerts(process.argv[2] ?? defaultDir())
    .then((m) => {
      const count = Object.keys(m.files).length;
      console.log(`lab PKI in ${m.dir}: ${count} files, generated ${m.generatedAt} (${Date.now() - started} ms)`);
    })
    .catch((err: unknown) => {
      console.error(`gen-certs: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
