// libpq's URI percent-decoding (conninfo_uri_decode) and the encoding dbdoctor suggests in fix hints.
// Not decodeURIComponent: libpq keeps '+' literally, rejects %00, works on bytes (so malformed UTF-8 passes through)
// and, from 18 on, trims and rejects spaces.
import type { LibpqMajor } from "../model/options.js";

export type DecodeFailure = "invalid-token" | "forbidden-00" | "spaces";
export type DecodeResult = { ok: true; value: string } | { ok: false; failure: DecodeFailure };

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8");

function hexValue(c: string | undefined): number {
  if (c === undefined) return -1;
  const code = c.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  return -1;
}

/**
 * Whether this major trims leading/trailing spaces of each URI component and rejects interior ones
 * (`unexpected spaces found in "%s", use percent-encoded spaces (%20) instead`). Source: the 2025 libpq tree's
 * conninfo_uri_decode; released in PostgreSQL 18 (reports of "Postgres@18 ... space should be percent encoded",
 * juspay/hyperswitch#9685). libpq 12..17 keep spaces literally.
 */
const ASCII_ONLY = /^[\x00-\x7f]*$/;

export function trimsUriSpaces(major: LibpqMajor): boolean {
  return major >= 18;
}

/** conninfo_uri_decode of the given major, on the raw component text. */
export function uriDecode(str: string, major: LibpqMajor): DecodeResult {
  const trim = trimsUriSpaces(major);
  // Nothing to decode: plain ASCII without '%' decodes to itself (the common case, and a 1 MB host name must not
  // cost a million array pushes).
  if (!trim && !str.includes("%") && ASCII_ONLY.test(str)) return { ok: true, value: str };
  // At most 3 UTF-8 bytes per UTF-16 code unit (4 per surrogate pair of 2 units).
  const bytes = new Uint8Array(str.length * 3);
  let n = 0;
  let i = 0;
  if (trim) while (str[i] === " ") i++;
  while (i < str.length) {
    const c = str[i] as string;
    if (c !== "%") {
      if (trim && c === " ") break;
      const cp = str.codePointAt(i) as number;
      // ASCII is its own UTF-8 byte; skipping TextEncoder here keeps `dbdoctor audit` of 10k URLs fast.
      if (cp < 0x80) {
        bytes[n++] = cp;
        i++;
        continue;
      }
      const ch = String.fromCodePoint(cp);
      for (const b of utf8.encode(ch)) bytes[n++] = b;
      i += ch.length;
      continue;
    }
    const hi = hexValue(str[i + 1]);
    const lo = hi < 0 ? -1 : hexValue(str[i + 2]);
    if (hi < 0 || lo < 0) return { ok: false, failure: "invalid-token" };
    const v = (hi << 4) | lo;
    if (v === 0) return { ok: false, failure: "forbidden-00" };
    bytes[n++] = v;
    i += 3;
  }
  if (trim) {
    while (str[i] === " ") i++;
    if (i < str.length) return { ok: false, failure: "spaces" };
  }
  return { ok: true, value: utf8Decoder.decode(bytes.subarray(0, n)) };
}

/** Decodes what can be decoded and leaves the rest; never fails. For redaction heuristics only. */
export function uriDecodeLenient(str: string): string {
  return str.replace(/%([0-9A-Fa-f]{2})/g, (m, h: string) =>
    h === "00" ? m : String.fromCharCode(Number.parseInt(h, 16)),
  );
}

// RFC 3986 unreserved characters stay literal; everything else, including the sub-delimiters libpq treats
// specially (@ : / ? # & = , [ ] % + and space), is percent-encoded as UTF-8.
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Percent-encoding that puts a user, password, host or database name safely into a libpq URI. */
export function uriEncodeComponent(value: string): string {
  let out = "";
  for (const ch of value) {
    if (UNRESERVED.test(ch)) {
      out += ch;
      continue;
    }
    for (const b of utf8.encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
