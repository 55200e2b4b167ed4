// The wire-level probe of every host: DNS, TCP, SSLRequest, TLS handshake, chain and name judgments,
// the TLS version scan and the direct-SSL probe. Steps of one host run in libpq's order; hosts, addresses
// and the side probes run concurrently, under one overall deadline.

import type { EffectiveParam, HostEntry } from "../conninfo/types.js";
import type { LibpqMajor } from "../model/options.js";
import { closeGracefully } from "../run/close.js";
import { mapLimit } from "../run/limit.js";
import type { RunScope } from "../run/scope.js";
import { PG_ALPN, probeDirectSsl } from "./direct.js";
import { judgeChain, judgeHostname, type PreparedTrust, prepareTrust } from "./judge.js";
import { attemptFacts, connectTcp, Deadline, lookupHost } from "./net.js";
import { scanVersions, type VersionResults } from "./scan.js";
import { rememberSentChain } from "./sent-chain.js";
import { libpqSniName } from "./sni.js";
import { sslRequest } from "./sslrequest.js";
import { tlsHandshake } from "./tls.js";
import { type EndpointFacts, type ServerFacts, TLS_VERSIONS, type TlsFacts } from "./types.js";
import { clientTlsRange, libpqProtocolRangeHint, versionFacts } from "./versions.js";

export interface ProbeOptions {
  /**
   * Scan TLS 1.0–1.3 one by one (true, the default: `dbdoctor server`, audit --live), never (false), or only when
   * the main handshake failed on the protocol version ("when-needed": `check`). Each refused version costs the
   * server two log lines ("could not accept SSL connection: unsupported protocol" and its hint), and a version the
   * main handshake negotiated needs no second connection.
   */
  scanVersions?: boolean | "when-needed";
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
  /** The run's deadline owner; without one the probe makes its own (bounded by twice the timeout). */
  scope?: RunScope;
  /** The root file and CRLs, read and parsed before any network step (prepareProbe). */
  trust?: PreparedTrust;
}

/** Endpoints probed at once: 1000 hosts must not mean 6000 sockets. */
export const ENDPOINT_CONCURRENCY = 16;

/** CPU work that must not run on the network's clock: the trust store the chain is judged against. */
export function prepareProbe<C extends ProbeContext>(ctx: C): C & { trust: PreparedTrust } {
  return { ...ctx, trust: ctx.trust ?? prepareTrust(ctx.effective, ctx.libpq) };
}

/** OpenSSL reasons that mean "no common protocol version": then (and only then) the versions are worth a scan. */
function versionFailure(tls: TlsFacts): boolean {
  const f = tls.failure;
  if (!f || f.kind === "timeout" || f.kind === "closed") return false;
  return /protocol|version/i.test(f.reason);
}

/** The versions the main handshake answered: the one it negotiated; the others were not tried. */
function versionsFromHandshake(tls: TlsFacts): VersionResults {
  const out = {} as VersionResults;
  for (const v of TLS_VERSIONS)
    out[v] =
      v === tls.protocol
        ? { status: "accepted", detail: tls.cipher ?? "" }
        : {
            status: "not-tested",
            detail: "not tried: the main handshake answered (dbdoctor server scans every version)",
          };
  return out;
}

export const DEFAULT_PORT = 5432;

/** libpq >= 17 always offers ALPN "postgresql"; earlier versions offer none. */
export function alpnFor(major: LibpqMajor): string[] {
  return major >= 17 ? [PG_ALPN] : [];
}

export async function probeEndpoint(
  entry: HostEntry,
  ctx: ProbeContext & { scope: RunScope; trust: PreparedTrust },
  deadline: Deadline,
): Promise<EndpointFacts> {
  const scope = ctx.scope;
  const port = Number(entry.port || DEFAULT_PORT);
  const ep: EndpointFacts = { host: entry.host, port };
  if (entry.kind === "unix-socket") {
    ep.skipped = "Unix-domain socket: libpq ignores sslmode there, so there is no TLS to probe";
    return ep;
  }
  if (deadline.remaining() === 0 || scope.remaining() === 0) {
    // Hosts are probed a few at a time; those whose turn comes after the time is up are said not to be probed,
    // not given a zero-length "timeout" that would blame the server.
    ep.skipped = "not probed: the probe's time ran out before this host's turn (see --timeout and --deadline)";
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
    addrs.map(async (a) => ({ a, r: await connectTcp(a.address, port, deadline.step(t), scope) })),
  );
  ep.tcp = tcp.map(({ a, r }) => attemptFacts(a.address, a.family, entry.host, port, r));
  // libpq takes the first address (getaddrinfo order) that accepts; the others are closed at once.
  const chosen = tcp.find(({ r }) => r.ok);
  for (const x of tcp) if (x.r.ok && x !== chosen) void closeGracefully(x.r.socket, scope);
  if (!chosen?.r.ok) return ep;
  const address = chosen.a.address;
  const socket = chosen.r.socket;
  ep.address = address;

  const sni = libpqSniName(entry.host, ctx.effective.sslsni?.value);
  const alpn = alpnFor(ctx.libpq);
  const range = clientTlsRange(ctx.effective, ctx.libpq);
  const directConfigured = ctx.effective.sslnegotiation?.value === "direct";

  // Side probes on their own connections, started now so they cost no extra wall time.
  const scanMode = opts.scanVersions ?? true;
  const scanOpts = () => ({ timeoutMs: deadline.step(t), servername: sni, alpn, scope });
  let scan = scanMode === true ? scanVersions(address, port, scanOpts()) : null;
  const direct =
    directConfigured || opts.direct === "always"
      ? probeDirectSsl(address, port, {
          timeoutMs: deadline.step(t),
          servername: sni,
          configured: directConfigured,
          scope,
        })
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
      scope,
    });
    ep.tls = hs.facts;
    rememberSentChain(ep, hs.chainDer);
    const leaf = hs.chainDer[0];
    if (hs.facts.ok && leaf) {
      ep.chain = judgeChain(hs.chainDer, ctx.trust, ctx.now, ctx.securityLevel);
      if (entry.host !== "") ep.hostname = judgeHostname(leaf, entry.host, ctx.libpq);
    }
    if (scanMode === "when-needed") {
      if (hs.facts.ok) ep.versions = versionFacts(versionsFromHandshake(hs.facts), range);
      else if (versionFailure(hs.facts)) scan = scanVersions(address, port, scanOpts());
    }
  } else if (req.reply === null) {
    // Silence or a dead socket: nothing to say goodbye to.
    socket.destroy();
  } else {
    // 'N', 'E', garbage or bytes after 'S': the answer is in; leave without a word more.
    void closeGracefully(socket, scope);
  }
  if (scan) ep.versions = versionFacts(await scan, range);
  if (direct) ep.direct = await direct;
  return ep;
}

export const SESSION_NOTE =
  "The server's own view (server version, the ssl setting, pg_stat_ssl) needs an authenticated session; the wire probe does not log in.";

export async function probeServer(
  ctx: ProbeContext & { scope: RunScope },
): Promise<ServerFacts & { cutByDeadline: boolean }> {
  const started = Date.now();
  const prepared = prepareProbe(ctx);
  const deadline = new Deadline(ctx.options?.overallMs ?? 2 * ctx.timeoutMs, ctx.scope);
  const endpoints = await mapLimit(ctx.hosts, ENDPOINT_CONCURRENCY, (h) => probeEndpoint(h, prepared, deadline));
  // A step the run's deadline (not the probe's own timing) cut short ended in a "timeout" that says nothing
  // about the server: the stage then could not run.
  const cutByDeadline = (deadline.cut || ctx.scope.expired) && ctx.scope.remaining() === 0;
  return { endpoints, durationMs: Date.now() - started, notes: [SESSION_NOTE], cutByDeadline };
}
