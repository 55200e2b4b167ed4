// A TLS handshake with verification off, to capture what the server presents. Judging the chain and the host
// name is a separate pure step (src/pki), never Node's own checks.
import type { Socket } from "node:net";
import { type ConnectionOptions, type DetailedPeerCertificate, type TLSSocket, connect as tlsConnect } from "node:tls";
import { closeGracefully } from "../run/close.js";
import type { RunScope } from "../run/scope.js";
import { certFacts } from "./cert-info.js";
import type { TlsFacts, TlsVersion } from "./types.js";

export interface HandshakeOptions {
  timeoutMs: number;
  /** The SNI name to send; null sends none. */
  servername: string | null;
  /** ALPN protocols to offer; libpq >= 17 offers ["postgresql"]. */
  alpn: string[];
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  /** OpenSSL cipher string; "DEFAULT@SECLEVEL=0" lets the version scan speak TLS 1.0/1.1. */
  ciphers?: string;
  /** Appended to libpq's message when the failure is a protocol-version one (libpq's hint). */
  protocolHint?: string;
  /** Keep the TLS socket open on success (the caller closes it); otherwise it is closed here. */
  keepOpen?: boolean;
  /** The run's scope: the TLS socket is adopted by it. */
  scope: RunScope;
}

export interface HandshakeResult {
  facts: TlsFacts;
  /** DER of the certificates as captured (leaf first); empty on failure. */
  chainDer: Buffer[];
  socket?: TLSSocket;
}

/** OpenSSL reasons after which libpq adds its "does not support any SSL protocol version between" hint. */
const PROTOCOL_REASONS = new Set([
  "no protocols available",
  "unsupported protocol",
  "bad protocol version number",
  "unknown protocol",
  "unknown ssl version",
  "unsupported ssl version",
  "wrong ssl version",
  "wrong version number",
  "tlsv1 alert protocol version",
  "version too high",
  "version too low",
]);

/** Failures that happen in our own OpenSSL before or without the server having a say. */
const LOCAL_CODES = new Set([
  "ERR_SSL_NO_PROTOCOLS_AVAILABLE",
  "ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED",
  "ERR_SSL_NO_CIPHERS_AVAILABLE",
  "ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM",
]);

/** OpenSSL's reason string ("tlsv1 alert unknown ca") from a Node TLS error. */
export function opensslReason(err: Error & { reason?: string }): string | null {
  if (typeof err.reason === "string" && err.reason) return err.reason;
  // "80CC…:error:0A000438:SSL routines:ssl3_read_bytes:tlsv1 alert internal error:file:line:data"
  const parts = err.message.split("\n")[0]?.split(":") ?? [];
  if (parts[1] === "error" && parts.length >= 6) return parts[5] ?? null;
  return null;
}

/** Walk Node's linked peer chain; a self-signed certificate links to itself, so stop on a repeat. */
export function peerChainDer(peer: DetailedPeerCertificate | undefined): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let c: DetailedPeerCertificate | undefined = peer;
  while (c?.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    out.push(c.raw);
    c = c.issuerCertificate;
  }
  return out;
}

/**
 * Run a TLS handshake over `socket` (already past a clean 'S', or fresh for direct SSL).
 * Chain capture: OpenSSL's peer chain through getPeerCertificate(true). Node links it by issuer from the
 * certificates the server sent, and only adds certificates from its own trust store, which is empty here
 * (`ca: []`), so the result is exactly what was sent, in issuer order.
 */
export function tlsHandshake(socket: Socket, opts: HandshakeOptions): Promise<HandshakeResult> {
  const started = Date.now();
  const writtenBefore = socket.bytesWritten;
  return new Promise((resolve) => {
    let settled = false;
    const base = (): TlsFacts => ({
      ok: false,
      durationMs: Date.now() - started,
      sni: opts.servername,
      alpnOffered: opts.alpn,
    });
    const options: ConnectionOptions = {
      socket,
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      ca: [],
      ALPNProtocols: opts.alpn.length ? opts.alpn : undefined,
    };
    if (opts.servername !== null) options.servername = opts.servername;
    if (opts.minVersion) options.minVersion = opts.minVersion;
    if (opts.maxVersion) options.maxVersion = opts.maxVersion;
    if (opts.ciphers) options.ciphers = opts.ciphers;
    let tls: TLSSocket;
    const fail = (failure: NonNullable<TlsFacts["failure"]>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      tls?.destroy();
      socket.destroy();
      resolve({ facts: { ...base(), failure }, chainDer: [] });
    };
    const timer = setTimeout(
      () => fail({ kind: "timeout", reason: "timeout expired", libpqMessage: "timeout expired" }),
      opts.timeoutMs,
    );
    try {
      tls = opts.scope.adopt(tlsConnect(options));
    } catch (err) {
      const e = err as Error & { code?: string };
      fail({ kind: "local", code: e.code, reason: e.message, libpqMessage: `SSL error: ${e.message}` });
      return;
    }
    tls.once("secureConnect", () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const cipher = tls.getCipher();
      const chainDer = peerChainDer(tls.getPeerCertificate(true));
      const facts: TlsFacts = {
        ...base(),
        ok: true,
        protocol: tls.getProtocol() ?? "unknown",
        cipher: cipher.name,
        cipherStandardName: cipher.standardName,
        alpn: tls.alpnProtocol || null,
        chain: chainDer.map((d) => certFacts(d)),
      };
      if (opts.keepOpen) resolve({ facts, chainDer, socket: tls });
      else {
        // The chain and the version are known: stop here, politely. close_notify then FIN, never a startup
        // packet, so the server ends the connection without a log line ("EOF after SSL" is not an error there).
        void closeGracefully(tls, opts.scope);
        resolve({ facts, chainDer });
      }
    });
    tls.once("error", (err: Error & { code?: string; reason?: string }) => {
      const reason = opensslReason(err);
      const helloSent = socket.bytesWritten > writtenBefore;
      if (reason === null) {
        // Not an OpenSSL error: the peer closed or reset the connection mid-handshake.
        const eof = err.code === "ECONNRESET" && /socket hang up|disconnected/.test(err.message);
        fail({
          kind: "closed",
          code: err.code,
          reason: err.message,
          libpqMessage:
            eof || err.code === undefined ? "SSL SYSCALL error: EOF detected" : `SSL SYSCALL error: ${err.message}`,
        });
        return;
      }
      const local = !helloSent || (err.code !== undefined && LOCAL_CODES.has(err.code));
      const hint = PROTOCOL_REASONS.has(reason) && opts.protocolHint ? `\n${opts.protocolHint}` : "";
      fail({
        kind: local ? "local" : reason.includes("alert") ? "alert" : "error",
        code: err.code,
        reason,
        libpqMessage: `SSL error: ${reason}${hint}`,
      });
    });
  });
}
