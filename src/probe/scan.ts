// Which TLS versions the server accepts: one connection per version, minVersion = maxVersion, all at once.
import { closeGracefully } from "../run/close.js";
import type { RunScope } from "../run/scope.js";
import { connectTcp } from "./net.js";
import { sslRequest } from "./sslrequest.js";
import { tlsHandshake } from "./tls.js";
import { TLS_VERSIONS, type TlsVersion, type VersionStatus } from "./types.js";

export interface ScanOptions {
  timeoutMs: number;
  servername: string | null;
  alpn: string[];
  scope: RunScope;
}

export type VersionResults = Record<TlsVersion, { status: VersionStatus; detail?: string }>;

/**
 * SECLEVEL=0 lets our OpenSSL 3 speak TLS 1.0/1.1 with SHA-1 signatures, so a refusal is the server's.
 * When our side still refuses (no ClientHello left, or a local OpenSSL error), the version is "untestable".
 */
const SCAN_CIPHERS = "DEFAULT@SECLEVEL=0";

export async function probeVersion(address: string, port: number, version: TlsVersion, opts: ScanOptions) {
  const started = Date.now();
  const left = () => Math.max(1, opts.timeoutMs - (Date.now() - started));
  const tcp = await connectTcp(address, port, opts.timeoutMs, opts.scope);
  if (!tcp.ok) return { status: "error" as const, detail: `TCP: ${tcp.reason}` };
  const req = await sslRequest(tcp.socket, left());
  if (req.facts.reply !== "S" || req.facts.unencryptedBytesAfterS > 0) {
    if (req.reply === null) tcp.socket.destroy();
    else void closeGracefully(tcp.socket, opts.scope);
    return { status: "error" as const, detail: `SSLRequest: ${req.facts.libpqMessage ?? `reply ${req.facts.reply}`}` };
  }
  const hs = await tlsHandshake(tcp.socket, {
    timeoutMs: left(),
    servername: opts.servername,
    alpn: opts.alpn,
    minVersion: version,
    maxVersion: version,
    ciphers: SCAN_CIPHERS,
    scope: opts.scope,
  });
  if (hs.facts.ok) return { status: "accepted" as const, detail: hs.facts.cipher ?? "" };
  const f = hs.facts.failure;
  if (f?.kind === "local")
    return { status: "untestable" as const, detail: `could not test: client library refuses (${f.reason})` };
  if (f?.kind === "timeout") return { status: "error" as const, detail: "timeout expired" };
  return { status: "refused" as const, detail: f?.reason ?? "handshake failed" };
}

export async function scanVersions(address: string, port: number, opts: ScanOptions): Promise<VersionResults> {
  const results = await Promise.all(TLS_VERSIONS.map((v) => probeVersion(address, port, v, opts)));
  const out = {} as VersionResults;
  TLS_VERSIONS.forEach((v, i) => {
    out[v] = results[i] as VersionResults[TlsVersion];
  });
  return out;
}
