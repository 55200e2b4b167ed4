// The server's answer to an SSLRequest, read the way libpq's PQconnectPoll (CONNECTION_SSL_STARTUP) reads it.
// Pure: bytes in, classification and libpq's wording out.
import { capText } from "../text/cap.js";

export const SSL_REQUEST = Buffer.from([0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f]);

export type ReplyClass =
  | { kind: "S"; extra: Buffer }
  | { kind: "N"; extra: Buffer }
  | { kind: "E"; data: Buffer }
  | { kind: "other"; byte: number; data: Buffer };

/** Classify the bytes that arrived after the SSLRequest (at least one). */
export function classifySslReply(data: Buffer): ReplyClass {
  const first = data[0];
  if (first === undefined) throw new RangeError("classifySslReply needs at least one byte");
  if (first === 0x53) return { kind: "S", extra: data.subarray(1) };
  if (first === 0x4e) return { kind: "N", extra: data.subarray(1) };
  if (first === 0x45) return { kind: "E", data };
  return { kind: "other", byte: first, data };
}

/** An ErrorResponse ('E', Int32 length, then type-byte + C-string fields, then 0) is complete. */
export function errorResponseComplete(data: Buffer): boolean {
  if (data.length < 5) return false;
  return data.length >= 1 + data.readUInt32BE(1);
}

const FIELD_NAMES: Record<string, string> = {
  S: "severity",
  V: "severityNonLocalized",
  C: "code",
  M: "message",
  D: "detail",
  H: "hint",
};

/**
 * The fields of an ErrorResponse, when the bytes form one. Only the fields a person reads are kept; a
 * malformed message gives null (the server sent 'E' and then something that is not the protocol).
 */
export function parseErrorResponse(data: Buffer): Record<string, string> | null {
  if (data[0] !== 0x45 || data.length < 5) return null;
  const len = data.readUInt32BE(1);
  // Pre-7.0 servers sent a bare text after 'E'; libpq's sanity limit for that case is 30000 bytes.
  if (len < 4 || len > 30000) return null;
  const body = data.subarray(5, Math.min(data.length, 1 + len));
  const out: Record<string, string> = {};
  let i = 0;
  while (i < body.length && body[i] !== 0) {
    const type = String.fromCharCode(body[i] as number);
    const end = body.indexOf(0, i + 1);
    if (end === -1) break;
    const name = FIELD_NAMES[type];
    if (name) out[name] = capText(body.subarray(i + 1, end).toString("utf8"));
    i = end + 1;
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** libpq prints an invalid reply byte with %c; a non-printable one is shown escaped so the report stays readable. */
export function printableByte(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, "0")}`;
}

export const LIBPQ_SERVER_CLOSED =
  "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.";

/**
 * libpq's message for a reply (the part after "connection to server at ... failed: ").
 * `sslRequired` is whether the sslmode forbids a plaintext fallback (require, verify-ca, verify-full).
 * undefined means libpq goes on (TLS handshake after a clean 'S', plaintext after 'N' when allowed).
 */
export function libpqReplyMessage(reply: ReplyClass, sslRequired: boolean): string | undefined {
  switch (reply.kind) {
    case "S":
      return reply.extra.length > 0 ? "received unencrypted data after SSL response" : undefined;
    case "N":
      return sslRequired ? "server does not support SSL, but SSL was required" : undefined;
    case "E":
      // Since the November 2024 minors (CVE-2024-10977) libpq no longer shows the server's text here.
      return "server sent an error response during SSL exchange";
    case "other":
      return `received invalid response to SSL negotiation: ${printableByte(reply.byte)}`;
  }
}

export function hexSample(data: Buffer, max = 32): string {
  return data.subarray(0, max).toString("hex") + (data.length > max ? "…" : "");
}
