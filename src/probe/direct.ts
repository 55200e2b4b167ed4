// PG17 direct SSL (sslnegotiation=direct): the ClientHello goes out first, no SSLRequest, and ALPN
// "postgresql" is mandatory on both sides. A server before 17 reads the 0x16 byte as a startup packet
// length and drops the connection.
import type { RunScope } from "../run/scope.js";
import { connectTcp } from "./net.js";
import { tlsHandshake } from "./tls.js";
import type { DirectSslFacts } from "./types.js";

export const PG_ALPN = "postgresql";

export interface DirectSslOptions {
  timeoutMs: number;
  servername: string | null;
  configured: boolean;
  scope: RunScope;
}

export async function probeDirectSsl(address: string, port: number, opts: DirectSslOptions): Promise<DirectSslFacts> {
  const started = Date.now();
  const tcp = await connectTcp(address, port, opts.timeoutMs, opts.scope);
  if (!tcp.ok)
    return { configured: opts.configured, supported: null, durationMs: Date.now() - started, detail: tcp.reason };
  const left = Math.max(1, opts.timeoutMs - tcp.durationMs);
  const hs = await tlsHandshake(tcp.socket, {
    timeoutMs: left,
    servername: opts.servername,
    alpn: [PG_ALPN],
    scope: opts.scope,
  });
  const durationMs = Date.now() - started;
  const f = hs.facts;
  if (!f.ok) {
    const failure = f.failure;
    const out: DirectSslFacts = {
      configured: opts.configured,
      // A silent server tells us nothing; a closed or refused handshake is the answer of a server without it.
      supported: failure?.kind === "timeout" ? null : false,
      durationMs,
      detail: failure?.reason ?? "handshake failed",
    };
    if (failure) out.libpqMessage = failure.libpqMessage;
    return out;
  }
  const out: DirectSslFacts = {
    configured: opts.configured,
    supported: f.alpn === PG_ALPN,
    durationMs,
    alpn: f.alpn ?? null,
  };
  if (f.protocol) out.protocol = f.protocol;
  if (f.alpn === null || f.alpn === undefined)
    out.libpqMessage = "direct SSL connection was established without ALPN protocol negotiation extension";
  else if (f.alpn !== PG_ALPN) out.libpqMessage = "SSL connection was established with unexpected ALPN protocol";
  return out;
}
