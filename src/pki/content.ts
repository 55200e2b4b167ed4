// What a file holds, told apart the way OpenSSL's PEM reader sees it: PEM blocks (text between and after
// blocks is skipped by OpenSSL, an unterminated block is an error), or one DER object, or something else
// entirely (PKCS#12, a Java keystore, garbage).
import { decodeOid, derChildren, readTlv, type Tlv } from "./der.js";

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
  /** A BEGIN line with no matching END: OpenSSL fails reading the file. */
  unterminated: { label: string; line: number } | null;
  /** Non-blank text outside PEM blocks (OpenSSL skips it). */
  strayText: { line: number; preview: string }[];
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

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----\s*$/;
const END = /^-----END ([A-Z0-9 ]+)-----\s*$/;

export function decodeContent(data: Buffer): Decoded {
  const out: Decoded = { format: "empty", blocks: [], unterminated: null, strayText: [] };
  if (data.length === 0 || /^\s*$/.test(data.toString("latin1"))) return out;
  if (data.length >= 4 && (data.readUInt32BE(0) === 0xfeedfeed || data.readUInt32BE(0) === 0xcececece)) {
    out.format = "jks";
    return out;
  }
  const text = data.toString("latin1");
  if (text.includes("-----BEGIN ")) {
    out.format = "pem";
    const lines = text.split(/\r?\n/);
    let open: { label: string; line: number; body: string[]; headers: Record<string, string>; raw: string[] } | null =
      null;
    lines.forEach((raw, idx) => {
      const line = raw.trim();
      if (open) {
        const end = END.exec(line);
        if (end) {
          if (end[1] === open.label) {
            const der = Buffer.from(open.body.join(""), "base64");
            const sniffed = sniffDer(der);
            let kind = kindOfLabel(open.label);
            // A block whose base64 does not decode to a DER object is corrupt whatever its label says
            // (except a traditional encrypted key, whose body is ciphertext).
            const encrypted = open.headers["Proc-Type"]?.includes("ENCRYPTED") === true;
            if (!encrypted && (!sniffed || sniffed.end !== der.length)) kind = "unknown";
            const pem = `${[...open.raw, line].join("\n")}\n`;
            out.blocks.push({ label: open.label, headers: open.headers, der, line: open.line, kind, pem });
          } else if (!out.unterminated) {
            out.unterminated = { label: open.label, line: open.line };
          }
          open = null;
          return;
        }
        open.raw.push(line);
        const header = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
        if (header && open.body.length === 0) open.headers[header[1] as string] = header[2] as string;
        else if (line !== "") open.body.push(line);
        return;
      }
      const begin = BEGIN.exec(line);
      if (begin) {
        open = { label: begin[1] as string, line: idx + 1, body: [], headers: {}, raw: [line] };
        return;
      }
      if (line !== "") out.strayText.push({ line: idx + 1, preview: printable(line).slice(0, 40) });
    });
    if (open && !out.unterminated) {
      const o = open as { label: string; line: number };
      out.unterminated = { label: o.label, line: o.line };
    }
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
