// PEM read exactly as OpenSSL 3 reads it for libpq: PEM_read_bio (crypto/pem/pem_lib.c, get_name,
// get_header_and_data, sanitize_line with PEM_FLAG_EAY_COMPATIBLE) and EVP_DecodeUpdate/EVP_DecodeFinal
// (crypto/evp/encode.c). What it accepts and refuses decides libpq's verdict on a root, client or CRL file:
// - a BEGIN line counts only at the very start of a line (an indented block is skipped like any other text,
//   which is why certifi's comments between blocks are fine and an indented Azure/DigiCert block is not there);
// - the END line must also start the line and name the same label ("bad end line" otherwise, or at end of input);
// - lines are read 254 bytes at a time (BIO_gets with LINESIZE 255): a longer BEGIN line is no BEGIN line;
// - a ':' before the body makes the lines a header; a blank line ends the header, after which lines of more than
//   64 characters fail silently (the caller reports "PEM lib");
// - trailing whitespace is stripped, leading whitespace and tabs inside the body are skipped by the base64
//   decoder, a '-' stops it (so a block without END swallows the next block's BEGIN line and ends there), any
//   other character outside the base64 alphabet is "bad base64 decode".
// Every verdict here was checked against psql 15 (OpenSSL 3.0) and psycopg 3 (OpenSSL 3.5): test/unit/pki/pem-read.test.ts.

/** OpenSSL's reason for a PEM object it could not read ("PEM lib" is what libpq prints for the silent ones). */
export type PemFailure = "no start line" | "bad end line" | "bad base64 decode" | "PEM lib";

export interface PemObject {
  /** The label between "-----BEGIN " and "-----". */
  name: string;
  /** RFC 1421 header text (Proc-Type, DEK-Info), "" when none. */
  header: string;
  /** The decoded body. */
  data: Buffer;
  /** 1-based line of the BEGIN line, and of the END line. */
  line: number;
  endLine: number;
  /** The block's text, BEGIN line to END line, as in the file. */
  text: string;
}

export type PemStep =
  | { ok: true; object: PemObject }
  /** line: where OpenSSL gave up; block: the BEGIN line of the object it was reading, if any. */
  | { ok: false; reason: PemFailure; line: number; block?: { name: string; line: number } };

const LINESIZE = 255;
const BEGIN = "-----BEGIN ";
const END = "-----END ";
const TAIL = "-----\n";

/** A BIO_gets over a buffer: up to LINESIZE - 1 bytes, through the first newline. */
class LineSource {
  private pos = 0;
  /** 1-based number of the file line the next read starts in. */
  lineNo = 1;
  private first = true;
  constructor(private readonly buf: Buffer) {}

  get offset(): number {
    return this.pos;
  }

  gets(): { text: string; line: number; start: number } | null {
    if (this.pos >= this.buf.length) return null;
    const start = this.pos;
    const line = this.lineNo;
    const max = Math.min(this.buf.length, start + LINESIZE - 1);
    let end = start;
    while (end < max) {
      const b = this.buf[end] as number;
      end++;
      if (b === 0x0a) {
        this.lineNo++;
        break;
      }
    }
    this.pos = end;
    let bytes = this.buf.subarray(start, end);
    // sanitize_line's first call strips a UTF-8 byte-order mark (present in the OpenSSL 3.0 that psql uses too).
    if (this.first && bytes.length > 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
      bytes = bytes.subarray(3);
    this.first = false;
    return { text: bytes.toString("latin1"), line, start };
  }
}

/** sanitize_line with PEM_FLAG_EAY_COMPATIBLE: strip trailing bytes <= ' ' (signed char: also >= 0x80), add "\n". */
function sanitize(s: string): string {
  let n = s.length;
  while (n > 0) {
    const c = s.charCodeAt(n - 1);
    if (c <= 0x20 || c >= 0x80) n--;
    else break;
  }
  return `${s.slice(0, n)}\n`;
}

// EVP_DecodeUpdate's table (data_ascii2bin): values, whitespace, end of line, carriage return, '-' (end), error.
const B64_WS = 0xe0;
const B64_EOLN = 0xf0;
const B64_CR = 0xf1;
const B64_EOF = 0xf2;
const B64_ERROR = 0xff;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const TABLE = new Uint8Array(128).fill(B64_ERROR);
for (let i = 0; i < ALPHABET.length; i++) TABLE[ALPHABET.charCodeAt(i)] = i;
TABLE[0x3d] = 0; // '=' is saved like a base64 character and counted as padding
TABLE[0x09] = B64_WS;
TABLE[0x20] = B64_WS;
TABLE[0x0a] = B64_EOLN;
TABLE[0x0d] = B64_CR;
TABLE[0x2d] = B64_EOF;
const isBase64Value = (v: number) => (v | 0x13) !== 0xf3;

/** EVP_DecodeUpdate over the whole body, then EVP_DecodeFinal; null where OpenSSL returns an error. */
export function evpDecode(text: string): Buffer | null {
  const saved: string[] = [];
  let eof = 0;
  let seof = false;
  const chunks: Buffer[] = [];
  let n = 0;
  const flush = (): boolean => {
    const block = saved.join("");
    saved.length = 0;
    n = 0;
    // evp_decodeblock_int: whole quads only; decoded length counts the padding, which is then taken off.
    if (block.length % 4 !== 0) return false;
    const bytes = Buffer.from(block, "base64");
    const full = (block.length / 4) * 3;
    if (eof > full) return false;
    chunks.push(bytes.subarray(0, full - eof));
    return true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c >= 0x80 ? B64_ERROR : (TABLE[c] as number);
    if (v === B64_ERROR) return null;
    if (c === 0x3d) eof++;
    else if (eof > 0 && isBase64Value(v)) return null; // more data after padding
    if (eof > 2) return null;
    if (v === B64_EOF) {
      seof = true;
      break;
    }
    if (isBase64Value(v)) {
      saved.push(text[i] as string);
      n++;
    }
    if (n === 64 && !flush()) return null;
  }
  if (n > 0) {
    if (n % 4 === 0) {
      if (!flush()) return null;
    } else if (seof) return null; // end in the middle of a quad
  }
  // EVP_DecodeFinal: what is left is not a whole quad.
  if (n !== 0) return null;
  return Buffer.concat(chunks);
}

/** PEM_read_bio, object after object, over one file's bytes. */
export class PemReader {
  private readonly src: LineSource;
  constructor(private readonly buf: Buffer) {
    this.src = new LineSource(buf);
  }

  next(): PemStep {
    // get_name: skip lines until one starts with "-----BEGIN " and ends (after sanitizing) with "-----".
    let begin: { name: string; line: number; start: number } | null = null;
    for (;;) {
      const got = this.src.gets();
      if (!got) return { ok: false, reason: "no start line", line: this.src.lineNo };
      const s = sanitize(got.text);
      if (s.startsWith(BEGIN) && s.length >= TAIL.length && s.endsWith(TAIL)) {
        begin = { name: s.slice(BEGIN.length, s.length - TAIL.length), line: got.line, start: got.start };
        break;
      }
    }
    // get_header_and_data
    type Status = "maybe" | "in" | "post";
    let status: Status = "maybe";
    const first: string[] = [];
    const second: string[] = [];
    let tmp = first;
    let end = false;
    // A read that filled the buffer without reaching a newline leaves that newline for the next read, which is not
    // a blank line (OpenSSL's partial_line_read).
    let partial = false;
    for (;;) {
      const got = this.src.gets();
      const block = { name: begin.name, line: begin.line };
      if (!got) return { ok: false, reason: "bad end line", line: begin.line, block };
      const prevPartial = partial;
      partial = got.text.length === LINESIZE - 1 && !got.text.endsWith("\n");
      if (status === "maybe" && got.text.includes(":")) status = "in";
      const s = sanitize(got.text);
      if (s === "\n") {
        if (prevPartial) continue;
        if (status === "post") return { ok: false, reason: "bad end line", line: got.line, block };
        status = "post";
        tmp = second;
        continue;
      }
      if (s.startsWith(END)) {
        const rest = s.slice(END.length);
        if (!rest.startsWith(begin.name) || !rest.slice(begin.name.length).startsWith(TAIL))
          return { ok: false, reason: "bad end line", line: got.line, block };
        let header: string[];
        let data: string[];
        if (status === "maybe") {
          // No header: what was gathered is the data.
          header = second;
          data = first;
        } else {
          header = first;
          data = second;
        }
        const dataText = data.join("");
        if (dataText.length === 0) return { ok: false, reason: "PEM lib", line: begin.line, block };
        const der = evpDecode(dataText);
        if (!der) return { ok: false, reason: "bad base64 decode", line: begin.line, block };
        const text = this.buf.subarray(begin.start, this.src.offset).toString("latin1");
        return {
          ok: true,
          object: { name: begin.name, header: header.join(""), data: der, line: begin.line, endLine: got.line, text },
        };
      }
      if (end) return { ok: false, reason: "bad end line", line: got.line, block };
      tmp.push(s);
      if (status === "post") {
        // Only encrypted bodies get the line-length check; a failure here raises no PEM error of its own.
        if (s.length > 65) return { ok: false, reason: "PEM lib", line: got.line, block };
        if (s.length < 65) end = true;
      }
    }
  }
}

/** PEM_get_EVP_CIPHER_INFO: an empty header is fine, anything else must be a Proc-Type header. */
export function headerProblem(header: string): "not proc type" | "encrypted" | null {
  if (header === "" || header.startsWith("\n")) return null;
  if (!header.startsWith("Proc-Type: ")) return "not proc type";
  return /^Proc-Type: 4,ENCRYPTED/.test(header) ? "encrypted" : null;
}

/** The labels PEM_X509_INFO_read_bio reads as a certificate, and as a CRL. */
export const CERT_LABELS = new Set(["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"]);
export const CRL_LABEL = "X509 CRL";
