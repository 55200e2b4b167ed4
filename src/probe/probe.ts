// The wire-level probe of every host: DNS, TCP, SSLRequest, TLS handshake, chain and name judgments,
// the TLS version scan and the direct-SSL probe. Steps of one host run in libpq's order; hosts, addresses
// and the side probes run concurrently, under one overall deadline.

import type { EffectiveParam, HostEntry } from "../conninfo/types.js";
import type { LibpqMajor } from "../model/options.js";
import { PG_ALPN, probeDirectSsl } from "./direct.js";
import { judgeChain, judgeHostname, trustFrom } from "./judge.js";
import { attemptFacts, connectTcp, Deadline, lookupHost } from "./net.js";
import { scanVersions } from "./scan.js";
import { rememberSentChain } from "./sent-chain.js";
import { libpqSniName } from "./sni.js";
import { sslRequest } from "./sslrequest.js";
import { tlsHandshake } from "./tls.js";
import type { EndpointFacts, ServerFacts } from "./types.js";
import { clientTlsRange, libpqProtocolRangeHint, versionFacts } from "./versions.js";

export interface ProbeOptions {
  /** Scan TLS 1.0–1.3 one by one (default true). */
  scanVersions?: boolean;
  /** Probe PG17 direct SSL only when sslnegotiation=direct (default), or always (dbdoctor server). */
  direct?: "configured" | "always";
  /** Listening time after a lone 'S' for injected bytes (default 10 ms). */
  graceMs?: number;
  /** The overall deadline of the whole probe (default twice the step timeout). */
  overallMs?: number;
}

export interface ProbeContext {
  timeoutMs: number;
  libpq: LibpqMajor;
  now: Date;
  /** The modelled client's OpenSSL security level, for the chain verdict (the rules choose it; the engine passes it). */
  securityLevel: number;
  effective: Record<string, EffectiveParam>;
  hosts: HostEntry[];
  options?: ProbeOptions;
}

export const DEFAULT_PORT = 5432;

/** libpq >= 17 always offers ALPN "postgresql"; earlier versions offer none. */
export function alpnFor(major: LibpqMajor): string[] {
  return major >= 17 ? [PG_ALPN] : [];
}

export async function probeEndpoint(entry: HostEntry, ctx: ProbeContext, deadline: Deadline): Promise<EndpointFacts> {
  const port = Number(entry.port || DEFAULT_PORT);
  const ep: EndpointFacts = { host: entry.host, port };
  if (entry.kind === "unix-socket") {
    ep.skipped = "Unix-domain socket: libpq ignores sslmode there, so there is no TLS to probe";
    return ep;
  }
  const opts = ctx.options ?? {};
  const t = ctx.timeoutMs;
  const connectTo = entry.hostaddr || entry.host;
  if (entry.hostaddr) ep.hostaddr = entry.hostaddr;

  ep.dns = await lookupHost(connectTo, deadline.step(t));
  if (ep.dns.addresses.length === 0) return ep;

  const addrs = ep.dns.addresses;
  const tcp = await Promise.all(
    addrs.map(async (a) => ({ a, r: await connectTcp(a.address, port, deadline.step(t)) })),
  );
  ep.tcp = tcp.map(({ a, r }) => attemptFacts(a.address, a.family, entry.host, port, r));
  // libpq takes the first address (getaddrinfo order) that accepts; the others are closed at once.
  const chosen = tcp.find(({ r }) => r.ok);
  for (const x of tcp) if (x.r.ok && x !== chosen) x.r.socket.destroy();
  if (!chosen?.r.ok) return ep;
  const address = chosen.a.address;
  const socket = chosen.r.socket;
  ep.address = address;

  const sni = libpqSniName(entry.host, ctx.effective.sslsni?.value);
  const alpn = alpnFor(ctx.libpq);
  const range = clientTlsRange(ctx.effective, ctx.libpq);
  const directConfigured = ctx.effective.sslnegotiation?.value === "direct";

  // Side probes on their own connections, started now so they cost no extra wall time.
  const scan =
    opts.scanVersions === false
      ? null
      : scanVersions(address, port, { timeoutMs: deadline.step(t), servername: sni, alpn });
  const direct =
    directConfigured || opts.direct === "always"
      ? probeDirectSsl(address, port, { timeoutMs: deadline.step(t), servername: sni, configured: directConfigured })
      : null;

  const req = await sslRequest(socket, deadline.step(t), { graceMs: opts.graceMs ?? 10 });
  ep.sslRequest = req.facts;
  if (req.facts.reply === "S" && req.facts.unencryptedBytesAfterS === 0) {
    const hs = await tlsHandshake(socket, {
      timeoutMs: deadline.step(t),
      servername: sni,
      alpn,
      minVersion: range.invalid ? undefined : range.min,
      maxVersion: range.invalid || range.max === null ? undefined : range.max,
      protocolHint: libpqProtocolRangeHint(ctx.effective, ctx.libpq),
    });
    ep.tls = hs.facts;
    rememberSentChain(ep, hs.chainDer);
    const leaf = hs.chainDer[0];
    if (hs.facts.ok && leaf) {
      ep.chain = judgeChain(hs.chainDer, trustFrom(ctx.effective, ctx.libpq), ctx.now, ctx.securityLevel);
      if (entry.host !== "") ep.hostname = judgeHostname(leaf, entry.host, ctx.libpq);
    }
  } else {
    socket.destroy();
  }
  if (scan) ep.versions = versionFacts(await scan, range);
  if (direct) ep.direct = await direct;
  return ep;
}

export const SESSION_NOTE =
  "The server's own view (server version, the ssl setting, pg_stat_ssl) needs an authenticated session; the wire probe does not log in.";

export async function probeServer(ctx: ProbeContext): Promise<ServerFacts> {
  const started = Date.now();
  const deadline = new Deadline(ctx.options?.overallMs ?? 2 * ctx.timeoutMs);
  const endpoints = await Promise.all(ctx.hosts.map((h) => probeEndpoint(h, ctx, deadline)));
  return { endpoints, durationMs: Date.now() - started, notes: [SESSION_NOTE] };
}
