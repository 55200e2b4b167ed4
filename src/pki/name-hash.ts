// OpenSSL's X509_NAME_hash (the "subject_hash" of `openssl x509 -hash`), needed because sslcrldir and
// CA directories are looked up by "<hash>.r<n>" / "<hash>.<n>" file names, exactly as `openssl rehash` names them.
// The hash is SHA-1 over the "canonical encoding": each RDN re-encoded with every string value converted to
// UTF8String, trimmed, inner whitespace collapsed and ASCII lower-cased; the outer SEQUENCE header is dropped.
import { createHash } from "node:crypto";
import { derChildren as children, derLength, readTlv } from "./der.js";

const CANON_STRING_TAGS = new Set([
  0x0c, // UTF8String
  0x12, // NumericString
  0x13, // PrintableString
  0x14, // T61String
  0x16, // IA5String
  0x1a, // VisibleString
  0x1c, // UniversalString
  0x1e, // BMPString
]);

function decodeString(tag: number, bytes: Buffer): string {
  if (tag === 0x1e) {
    let s = "";
    for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode(bytes.readUInt16BE(i));
    return s;
  }
  if (tag === 0x1c) {
    let s = "";
    for (let i = 0; i + 3 < bytes.length; i += 4) s += String.fromCodePoint(bytes.readUInt32BE(i));
    return s;
  }
  if (tag === 0x14) return bytes.toString("latin1");
  return bytes.toString("utf8");
}

function canonValue(tag: number, bytes: Buffer): Buffer {
  if (!CANON_STRING_TAGS.has(tag)) return encodeTlv(tag, bytes);
  const text = decodeString(tag, bytes);
  // OpenSSL treats only ASCII isspace as whitespace and lower-cases ASCII only.
  const trimmed = text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, "").replace(/[ \t\n\v\f\r]+/g, " ");
  const lowered = trimmed.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return encodeTlv(0x0c, Buffer.from(lowered, "utf8"));
}

function encodeTlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

/** The canonical encoding of a DER Name (the full SEQUENCE). */
export function canonicalNameEncoding(nameDer: Buffer): Buffer {
  const name = readTlv(nameDer, 0);
  const parts: Buffer[] = [];
  for (const rdn of children(name)) {
    const avas = children(rdn).map((ava) => {
      const [oid, value] = children(ava);
      if (!oid || !value) throw new Error("malformed AttributeTypeAndValue");
      return encodeTlv(0x30, Buffer.concat([oid.raw, canonValue(value.tag, value.content)]));
    });
    // SET OF is DER-sorted by encoding.
    avas.sort(Buffer.compare);
    parts.push(encodeTlv(0x31, Buffer.concat(avas)));
  }
  return Buffer.concat(parts);
}

/** X509_NAME_hash_ex: first four bytes of SHA-1 of the canonical encoding, little-endian, as 8 hex digits. */
export function x509NameHash(nameDer: Buffer): string {
  const digest = createHash("sha1").update(canonicalNameEncoding(nameDer)).digest();
  return digest.readUInt32LE(0).toString(16).padStart(8, "0");
}
