// Which targets a module may probe. An exporter that dials whatever address a URL names is an SSRF hole (anyone who
// reaches it can make it connect anywhere), so every /probe target must match one of its module's patterns before
// anything is resolved or dialled.
//
// Pattern: HOST[:PORT] or [IPv6][:PORT]. HOST is a glob over the name as written in the target (picomatch, case-
// insensitive; `*` may span dots), an IP address, or a CIDR block (10.0.0.0/8, [fd00::/8]) that only IP targets
// match. PORT is a number, a range (5432-5439) or `*`; without it, 5432. A name pattern trusts the DNS: whoever
// controls the name's records chooses the address. Use IP or CIDR patterns where that matters.
import { BlockList, isIP } from "node:net";
import picomatch from "picomatch";
import { DEFAULT_PORT, parseTarget, type Target } from "../probe/target.js";

export interface TargetPattern {
  /** As written in the configuration, for messages. */
  text: string;
  host: (host: string) => boolean;
  port: (port: number) => boolean;
}

/** Why a pattern is not valid, or the pattern. */
export function parsePattern(text: string): TargetPattern | string {
  const t = text.trim();
  let hostPart: string;
  let portPart: string | undefined;
  if (t.startsWith("[")) {
    const m = /^\[([^\]]+)\](?::(.*))?$/.exec(t);
    if (!m) return "an IPv6 pattern is written [ADDRESS]:PORT or [PREFIX/LENGTH]:PORT";
    hostPart = m[1] as string;
    portPart = m[2];
  } else {
    const colon = t.lastIndexOf(":");
    if (t.indexOf(":") !== colon) return "write an IPv6 address in brackets, e.g. [::1]:5432";
    hostPart = colon === -1 ? t : t.slice(0, colon);
    portPart = colon === -1 ? undefined : t.slice(colon + 1);
  }
  if (hostPart === "") return "the pattern names no host";
  const port = portMatcher(portPart ?? String(DEFAULT_PORT));
  if (typeof port === "string") return port;
  const host = hostMatcher(hostPart);
  if (typeof host === "string") return host;
  return { text: t, host, port };
}

function portMatcher(text: string): ((port: number) => boolean) | string {
  if (text === "*") return () => true;
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  const lo = Number(m?.[1]);
  const hi = m?.[2] === undefined ? lo : Number(m[2]);
  if (!m || lo < 1 || hi > 65535 || lo > hi) return `port "${text}" is not a port, a range like 5432-5439, or *`;
  return (port) => port >= lo && port <= hi;
}

function hostMatcher(text: string): ((host: string) => boolean) | string {
  const slash = text.indexOf("/");
  if (slash !== -1) {
    const net = text.slice(0, slash);
    const bits = Number(text.slice(slash + 1));
    const family = isIP(net);
    if (family === 0 || !/^\d{1,3}$/.test(text.slice(slash + 1)) || bits > (family === 4 ? 32 : 128))
      return `"${text}" is not a CIDR block like 10.0.0.0/8 or fd00::/8`;
    const list = new BlockList();
    list.addSubnet(net, bits, family === 4 ? "ipv4" : "ipv6");
    return (host) => isIP(host) !== 0 && list.check(host, isIP(host) === 4 ? "ipv4" : "ipv6");
  }
  const family = isIP(text);
  if (family !== 0) {
    // BlockList compares addresses, not spellings: [::1] matches 0:0:0:0:0:0:0:1.
    const list = new BlockList();
    list.addAddress(text, family === 4 ? "ipv4" : "ipv6");
    return (host) => isIP(host) !== 0 && list.check(host, isIP(host) === 4 ? "ipv4" : "ipv6");
  }
  if (!/^[A-Za-z0-9*?._[\]!-]+$/.test(text)) return `"${text}" is not a host name, an address or a glob over names`;
  return picomatch(text, { nocase: true, dot: true });
}

/** A name made of these: letters, digits, hyphens, underscores, dots. Anything else never reaches the resolver. */
const HOST_NAME =
  /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;
/** A label the resolver reads as a number (inet_aton: 127.1, 0x7f.1, 017700000001, 2130706433). */
const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|\d+)$/i;

/**
 * The target of a /probe request as host and port, or why it is refused. Only plain names and canonical IP
 * addresses pass: `user@host`, a URL, or a number that getaddrinfo would turn into an address the patterns never
 * saw (2130706433 is 127.0.0.1) are refused before anything is resolved.
 */
export function readTarget(text: string): Target | string {
  let target: Target;
  try {
    target = parseTarget(text);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  const host = target.host;
  if (isIP(host) !== 0) return target;
  if (!HOST_NAME.test(host)) return `"${host}" is not a host name or an IP address`;
  const labels = host.replace(/\.$/, "").split(".");
  if (labels.every((l) => NUMERIC_LABEL.test(l)))
    return `"${host}" is not a canonical IP address (write it as a.b.c.d)`;
  return target;
}

export function allowed(patterns: readonly TargetPattern[], target: Target): boolean {
  return patterns.some((p) => p.host(target.host) && p.port(target.port));
}
