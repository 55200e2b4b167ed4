// What a file holds, told apart the way OpenSSL's PEM reader sees it (src/pki/pem-read.ts): the PEM blocks it reads
// (text between and after blocks is skipped, an indented block too, a malformed one fails the file), or one DER
// object, or something else entirely (PKCS#12, a Java keystore, garbage).
import { decodeOid, derChildren, readTlv, type Tlv } from "./der.js";
import { type PemFailure, PemReader } from "./pem-read.js";

export type ObjectKind =
  | "certificate"
  | "crl"
  | "csr"
  | "pkcs12"
  | "pkcs7"
  | "private-key"
  | "encrypted-private-key"
  | "rsa-private-key"
  | "ec-private-key"
  | "public-key"
  | "unknown";

export interface PemBlock {
  label: string;
  /** RFC 1421 headers (Proc-Type, DEK-Info) of traditional encrypted keys. */
  headers: Record<string, string>;
  /** The header text as OpenSSL's reader split it off (lines before a blank line, or every line with a ':'). */
  rawHeader: string;
  der: Buffer;
  /** 1-based line of the BEGIN line. */
  line: number;
  kind: ObjectKind;
  /** The block's own text, BEGIN to END (what OpenSSL's PEM reader sees). */
  pem: string;
}

export interface Decoded {
  format: "pem" | "der" | "empty" | "jks" | "binary" | "text";
  blocks: PemBlock[];
  /** The block OpenSSL's reader fails on with "bad end line" (no END line, another label, a second blank line). */
  unterminated: { label: string; line: number } | null;
  /** Non-blank text outside PEM blocks (OpenSSL skips it). */
  strayText: { line: number; preview: string }[];
  /** BEGIN lines OpenSSL's reader does not see as such (indented, or not alone on their line): their blocks are skipped. */
  skippedBlocks: { label: string; line: number; indented: boolean }[];
  /** Why OpenSSL's PEM reader failed on this file (it then reads nothing from it), and at which line. */
  pemError?: { reason: PemFailure; line: number };
  /** For a DER file: what the single object is, and bytes after it. */
  der?: { kind: ObjectKind; trailingBytes: number; body: Buffer };
}

const LABEL_KIND: Record<string, ObjectKind> = {
  CERTIFICATE: "certificate",
  "TRUSTED CERTIFICATE": "certificate",
  "X509 CERTIFICATE": "certificate",
  "X509 CRL": "crl",
  "CERTIFICATE REQUEST": "csr",
  "NEW CERTIFICATE REQUEST": "csr",
  "PRIVATE KEY": "private-key",
  "ENCRYPTED PRIVATE KEY": "encrypted-private-key",
  "RSA PRIVATE KEY": "rsa-private-key",
  "EC PRIVATE KEY": "ec-private-key",
  "PUBLIC KEY": "public-key",
  "RSA PUBLIC KEY": "public-key",
  PKCS7: "pkcs7",
  PKCS12: "pkcs12",
};

export function kindOfLabel(label: string): ObjectKind {
  return LABEL_KIND[label] ?? "unknown";
}

/** Guess what a DER object is from its shape. */
export function sniffDer(buf: Buffer): { kind: ObjectKind; end: number } | null {
  let top: Tlv;
  try {
    top = readTlv(buf, 0);
  } catch {
    return null;
  }
  if (top.tag !== 0x30) return null;
  let kids: Tlv[];
  try {
    kids = derChildren(top);
  } catch {
    return { kind: "unknown", end: top.end };
  }
  const [a, b, c] = kids;
  const kind = ((): ObjectKind => {
    if (!a) return "unknown";
    if (a.tag === 0x02 && b?.tag === 0x30 && a.content.length === 1 && a.content[0] === 3) {
      // PFX: version 3, ContentInfo
      return "pkcs12";
    }
    if (a.tag === 0x06) {
      const oid = decodeOid(a.content);
      if (oid.startsWith("1.2.840.113549.1.7.")) return "pkcs7";
    }
    if (a.tag === 0x30 && b?.tag === 0x30 && c?.tag === 0x03) {
      // signed structure: tell certificate, CRL and CSR apart by the TBS shape
      const tbs = derChildren(a);
      const [t0, t1, t2, t3] = tbs;
      if (t0?.tag === 0xa0) return "certificate";
      if (t0?.tag === 0x02 && t1?.tag === 0x30 && t2?.tag === 0x30 && t3?.tag === 0xa0) return "csr";
      if (t0?.tag === 0x02 && t1?.tag === 0x30 && t2?.tag === 0x30 && t3?.tag === 0x30) return "certificate";
      return "crl";
    }
    if (a.tag === 0x30 && b?.tag === 0x03 && kids.length === 2) return "public-key";
    if (a.tag === 0x30 && b?.tag === 0x04 && kids.length === 2) return "encrypted-private-key";
    if (a.tag === 0x02 && b?.tag === 0x30 && c?.tag === 0x04) return "private-key";
    if (a.tag === 0x02 && b?.tag === 0x02 && kids.length >= 9) return "rsa-private-key";
    if (a.tag === 0x02 && b?.tag === 0x04) return "ec-private-key";
    return "unknown";
  })();
  return { kind, end: top.end };
}

/**
 * The PEM objects OpenSSL's reader gets out of the file, in order, up to the first failure (which fails the whole
 * file for every libpq use); every other non-blank line is text OpenSSL skips, and a BEGIN line among them is a
 * block it never sees (indented, or not alone on its line).
 */
function readPem(data: Buffer, text: string, out: Decoded): void {
  const reader = new PemReader(data);
  const covered: [number, number][] = [];
  for (;;) {
    const step = reader.next();
    if (!step.ok) {
      if (step.reason !== "no start line") {
        out.pemError = { reason: step.reason, line: step.block?.line ?? step.line };
        if (step.reason === "bad end line" && step.block)
          out.unterminated = { label: step.block.name, line: step.block.line };
      }
      break;
    }
    const o = step.object;
    const headers: Record<string, string> = {};
    for (const h of o.header.split("\n")) {
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(h);
      if (m) headers[m[1] as string] = m[2] as string;
    }
    const sniffed = sniffDer(o.data);
    let kind = kindOfLabel(o.name);
    // d2i_X509_AUX: a TRUSTED CERTIFICATE is the certificate followed by OpenSSL's trust settings.
    const der = o.name === "TRUSTED CERTIFICATE" && sniffed ? o.data.subarray(0, sniffed.end) : o.data;
    // A block whose base64 does not decode to a DER object is corrupt whatever its label says
    // (except a traditional encrypted key, whose body is ciphertext).
    const encrypted = headers["Proc-Type"]?.includes("ENCRYPTED") === true;
    if (!encrypted && (!sniffed || sniffed.end !== der.length)) kind = "unknown";
    out.blocks.push({ label: o.name, headers, rawHeader: o.header, der, line: o.line, kind, pem: o.text });
    covered.push([o.line, o.endLine]);
  }
  const lines = text.split("\n");
  let c = 0;
  for (let i = 0; i < lines.length; i++) {
    const no = i + 1;
    while (c < covered.length && (covered[c] as [number, number])[1] < no) c++;
    const range = covered[c];
    if (range && range[0] <= no && no <= range[1]) continue;
    if (out.pemError && no >= out.pemError.line) break;
    const line = (lines[i] as string).replace(/\r$/, "");
    if (line.trim() === "") continue;
    out.strayText.push({ line: no, preview: printable(line.trim()).slice(0, 40) });
    const skipped = /-----BEGIN ([^-]*)-----/.exec(line);
    if (skipped) out.skippedBlocks.push({ label: skipped[1] as string, line: no, indented: /^\s/.test(line) });
  }
}

export function decodeContent(data: Buffer): Decoded {
  const out: Decoded = { format: "empty", blocks: [], unterminated: null, strayText: [], skippedBlocks: [] };
  if (data.length === 0 || /^\s*$/.test(data.toString("latin1"))) return out;
  if (data.length >= 4 && (data.readUInt32BE(0) === 0xfeedfeed || data.readUInt32BE(0) === 0xcececece)) {
    out.format = "jks";
    return out;
  }
  const text = data.toString("latin1");
  if (text.includes("-----BEGIN ")) {
    out.format = "pem";
    readPem(data, text, out);
    return out;
  }
  const sniffed = sniffDer(data);
  if (sniffed) {
    out.format = "der";
    out.der = { kind: sniffed.kind, trailingBytes: data.length - sniffed.end, body: data.subarray(0, sniffed.end) };
    return out;
  }
  out.format = isMostlyText(data) ? "text" : "binary";
  return out;
}

function isMostlyText(data: Buffer): boolean {
  const sample = data.subarray(0, 512);
  let printableCount = 0;
  for (const b of sample) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)) printableCount++;
  return printableCount / sample.length > 0.95;
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, "?");
}

export function describeKind(kind: ObjectKind): string {
  switch (kind) {
    case "certificate":
      return "a certificate";
    case "crl":
      return "a certificate revocation list (CRL)";
    case "csr":
      return "a certificate signing request (CSR), not a certificate";
    case "pkcs12":
      return "a PKCS#12 (.p12/.pfx) bundle";
    case "pkcs7":
      return "a PKCS#7 bundle";
    case "private-key":
      return "a private key (PKCS#8)";
    case "encrypted-private-key":
      return "an encrypted private key (PKCS#8)";
    case "rsa-private-key":
      return "an RSA private key (PKCS#1)";
    case "ec-private-key":
      return "an EC private key (SEC 1)";
    case "public-key":
      return "a public key";
    case "unknown":
      return "data that is not a certificate, key or CRL";
  }
}

export function isPrivateKeyKind(kind: ObjectKind): boolean {
  return (
    kind === "private-key" ||
    kind === "encrypted-private-key" ||
    kind === "rsa-private-key" ||
    kind === "ec-private-key"
  );
}
