// A minimal DER reader: enough to reach raw Names, SPKIs and extensions that node:crypto does not expose,
// without loading node-forge for EC/Ed25519 certificates it cannot read.

export interface Tlv {
  tag: number;
  /** Offset of the tag byte in the buffer. */
  start: number;
  /** Offset just past the content. */
  end: number;
  content: Buffer;
  /** The whole TLV, header included. */
  raw: Buffer;
}

export class DerError extends Error {}

export function readTlv(buf: Buffer, offset: number): Tlv {
  if (offset + 2 > buf.length) throw new DerError("truncated DER header");
  const tag = buf[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError("multi-byte DER tags are not supported");
  let len = buf[offset + 1] as number;
  let header = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError("unsupported DER length");
    if (offset + 2 + n > buf.length) throw new DerError("truncated DER length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[offset + 2 + i] as number);
    header += n;
  }
  const end = offset + header + len;
  if (end > buf.length) throw new DerError("DER value runs past the end of the data");
  return {
    tag,
    start: offset,
    end,
    content: buf.subarray(offset + header, end),
    raw: buf.subarray(offset, end),
  };
}

export function derChildren(tlv: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let off = 0;
  while (off < tlv.content.length) {
    const child = readTlv(tlv.content, off);
    out.push(child);
    off = child.end;
  }
  return out;
}

export function derLength(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  const bytes: number[] = [];
  let n = len;
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Decode an OBJECT IDENTIFIER's content bytes to dotted form. */
export function decodeOid(content: Buffer): string {
  if (content.length === 0) throw new DerError("empty OID");
  const first = content[0] as number;
  const parts: number[] = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let value = 0;
  for (let i = 1; i < content.length; i++) {
    const b = content[i] as number;
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join(".");
}

/** The parts of a Certificate that node:crypto does not hand out as raw DER. */
export interface CertificateDer {
  /** X.509 version, 1 to 3 (v1 has no [0] version field). */
  version: number;
  tbs: Buffer;
  serialHex: string;
  sigAlgOid: string;
  tbsSigAlgOid: string;
  issuer: Buffer;
  subject: Buffer;
  spki: Buffer;
  extensions: { oid: string; critical: boolean; value: Buffer }[];
  signature: Buffer;
}

export function parseCertificateDer(der: Buffer): CertificateDer {
  const cert = readTlv(der, 0);
  if (cert.tag !== 0x30) throw new DerError("not a DER SEQUENCE");
  const [tbs, sigAlg, sig] = derChildren(cert);
  if (!tbs || !sigAlg || !sig) throw new DerError("not an X.509 certificate");
  const fields = derChildren(tbs);
  let i = 0;
  if (fields[0]?.tag === 0xa0) i = 1;
  const serial = fields[i];
  const tbsSig = fields[i + 1];
  const issuer = fields[i + 2];
  const subject = fields[i + 4];
  const spki = fields[i + 5];
  if (!serial || !tbsSig || !issuer || !subject || !spki) throw new DerError("not an X.509 certificate");
  const extensions: CertificateDer["extensions"] = [];
  for (const f of fields.slice(i + 6)) {
    if (f.tag !== 0xa3) continue;
    const seq = derChildren(f)[0];
    if (!seq) continue;
    for (const ext of derChildren(seq)) {
      const parts = derChildren(ext);
      const oid = parts[0];
      const last = parts[parts.length - 1];
      if (!oid || !last) continue;
      const critical = parts.length === 3 && parts[1]?.tag === 0x01 && (parts[1].content[0] ?? 0) !== 0;
      extensions.push({ oid: decodeOid(oid.content), critical, value: last.content });
    }
  }
  const sigAlgOid = derChildren(sigAlg)[0];
  const tbsSigOid = derChildren(tbsSig)[0];
  const versionField = fields[0]?.tag === 0xa0 ? derChildren(fields[0] as Tlv)[0] : undefined;
  return {
    version: versionField ? (versionField.content[versionField.content.length - 1] ?? 0) + 1 : 1,
    tbs: tbs.raw,
    serialHex: serial.content.toString("hex"),
    sigAlgOid: sigAlgOid ? decodeOid(sigAlgOid.content) : "",
    tbsSigAlgOid: tbsSigOid ? decodeOid(tbsSigOid.content) : "",
    issuer: issuer.raw,
    subject: subject.raw,
    spki: spki.raw,
    extensions,
    // BIT STRING: first content byte is the unused-bit count.
    signature: sig.content.subarray(1),
  };
}
