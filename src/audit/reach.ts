// Where a host is, seen from the client that uses the setting. The audit runs elsewhere than the application, so it
// judges by the name alone: loopback names and addresses, the containers the same file starts (a compose service,
// a CI job's service container), a placeholder, or anything else, which crosses a network.
import { isIP } from "node:net";
import { hasToken } from "./placeholders.js";
import type { Reach, SettingContext } from "./types.js";

/** Farther first: the order in which one host of several decides the setting's reach. */
export const REACH_ORDER: readonly Reach[] = ["remote", "unknown", "container", "ci-service", "loopback", "socket"];

function isLoopbackAddress(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  const kind = isIP(h);
  if (kind === 4) return h.startsWith("127.");
  if (kind === 6) return h === "::1" || h === "0:0:0:0:0:0:0:1";
  return false;
}

/** localhost and its subdomains (RFC 6761), and Docker Desktop's name for the host machine. */
function isLoopbackName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return h === "localhost" || h.endsWith(".localhost") || h === "host.docker.internal";
}

export function classifyHost(host: string, ctx: SettingContext = {}): Reach {
  // libpq: an empty host or one starting with / (or @ for the abstract namespace) is a Unix-domain socket.
  if (host === "" || host.startsWith("/") || host.startsWith("@")) return "socket";
  if (hasToken(host)) return "unknown";
  const local = isLoopbackAddress(host) || isLoopbackName(host);
  const named = ctx.localNames?.some((n) => n.toLowerCase() === host.toLowerCase()) ?? false;
  if (ctx.ci && (local || named)) return "ci-service";
  if (local) return "loopback";
  if (named) return "container";
  return "remote";
}

/** The farthest of several reaches (a setting with two hosts is as exposed as its remote one). */
export function farthest(reaches: readonly Reach[]): Reach {
  for (const r of REACH_ORDER) if (reaches.includes(r)) return r;
  return "socket";
}

/** The reaches that stay on the client's machine or in a CI job: the review's "local". */
export function isLocal(reach: Reach): boolean {
  return reach === "loopback" || reach === "container" || reach === "ci-service" || reach === "socket";
}
