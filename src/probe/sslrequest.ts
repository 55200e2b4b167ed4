// The SSLRequest exchange on an open TCP socket: 8 bytes out, one byte back, and nothing else before TLS.
import type { Socket } from "node:net";
import {
  classifySslReply,
  errorResponseComplete,
  hexSample,
  LIBPQ_SERVER_CLOSED,
  libpqReplyMessage,
  parseErrorResponse,
  type ReplyClass,
  SSL_REQUEST,
} from "./reply.js";
import type { SslRequestFacts } from "./types.js";

export interface SslRequestOptions {
  /**
   * How long to keep listening after a lone 'S' for injected bytes that arrive in a later TCP segment.
   * A real server sends nothing more until our ClientHello, so waiting costs only this delay. 0: only
   * bytes that arrived together with the 'S' are seen (what libpq itself sees, most of the time).
   */
  graceMs?: number;
  /** Whether the sslmode forbids plaintext, for libpq's wording of an 'N' (default true). */
  sslRequired?: boolean;
}

export interface SslRequestResult {
  facts: SslRequestFacts;
  /** Set when a reply arrived. On a clean 'S' the socket is paused and ready for the TLS handshake. */
  reply: ReplyClass | null;
}

/** How long to wait for the rest of an ErrorResponse after its 'E' (servers close right after sending it). */
const ERROR_RESPONSE_WAIT_MS = 200;

/**
 * The most bytes kept from the reply. A real reply is 1 byte, or an ErrorResponse of a few hundred; a hostile
 * server's 10 MB "error" is judged from its head, and neither memory nor time grows with what it sends.
 */
export const REPLY_CAP = 16 * 1024;

export function sslRequest(socket: Socket, timeoutMs: number, opts: SslRequestOptions = {}): Promise<SslRequestResult> {
  const graceMs = opts.graceMs ?? 0;
  const sslRequired = opts.sslRequired ?? true;
  const started = Date.now();
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    let settled = false;
    let deadline: NodeJS.Timeout | undefined;
    let grace: NodeJS.Timeout | undefined;

    const cleanup = () => {
      clearTimeout(deadline);
      clearTimeout(grace);
      socket.off("data", onData);
      socket.off("end", onEnd);
      socket.off("close", onEnd);
      socket.off("error", onError);
      socket.pause();
    };
    const fromData = (): SslRequestResult => {
      const reply = classifySslReply(data);
      const facts: SslRequestFacts = {
        reply: reply.kind,
        durationMs: Date.now() - started,
        byte: (data[0] as number).toString(16).padStart(2, "0"),
        unencryptedBytesAfterS: reply.kind === "S" ? reply.extra.length : 0,
      };
      if (reply.kind !== "S" || reply.extra.length > 0) facts.sampleHex = hexSample(data);
      if (reply.kind === "E") {
        const fields = parseErrorResponse(data);
        if (fields) facts.errorResponse = fields;
      }
      const msg = libpqReplyMessage(reply, sslRequired);
      if (msg) facts.libpqMessage = msg;
      return { facts, reply };
    };
    const finish = (r: SslRequestResult) => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(r);
    };
    const noReply = (reply: "closed" | "timeout" | "socket-error", libpqMessage: string) =>
      finish({
        facts: { reply, durationMs: Date.now() - started, unencryptedBytesAfterS: 0, libpqMessage },
        reply: null,
      });

    const onData = (chunk: Buffer) => {
      const first = data.length === 0;
      data = Buffer.concat([data, chunk.subarray(0, REPLY_CAP - data.length)]);
      const kind = classifySslReply(data).kind;
      if (kind === "E") {
        if (errorResponseComplete(data) || data.length >= REPLY_CAP) finish(fromData());
        else if (first) grace = setTimeout(() => finish(fromData()), Math.min(ERROR_RESPONSE_WAIT_MS, timeoutMs));
        return;
      }
      if (kind === "S" && data.length === 1 && graceMs > 0) {
        if (first) grace = setTimeout(() => finish(fromData()), graceMs);
        return;
      }
      finish(fromData());
    };
    const onEnd = () => {
      if (data.length > 0) finish(fromData());
      else noReply("closed", LIBPQ_SERVER_CLOSED);
    };
    const onError = (err: Error & { code?: string }) => {
      if (data.length > 0) finish(fromData());
      else if (err.code === "ECONNRESET" || err.code === "EPIPE") noReply("closed", LIBPQ_SERVER_CLOSED);
      else noReply("socket-error", `could not send SSL negotiation packet: ${err.message}`);
    };

    deadline = setTimeout(() => {
      if (data.length > 0) finish(fromData());
      else noReply("timeout", "timeout expired");
    }, timeoutMs);
    socket.on("data", onData);
    socket.on("end", onEnd);
    socket.on("close", onEnd);
    socket.on("error", onError);
    socket.resume();
    socket.write(SSL_REQUEST);
  });
}
