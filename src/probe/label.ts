// How reports name a probed endpoint: "host:port" ("[v6]:port"), with the address used when it is not the host.
import type { EndpointFacts } from "./types.js";

export function endpointLabel(ep: Pick<EndpointFacts, "host" | "port" | "address">): string {
  const host = ep.host.includes(":") ? `[${ep.host}]` : ep.host;
  const addr = ep.address && ep.address !== ep.host ? ` (${ep.address})` : "";
  return `${host}:${ep.port}${addr}`;
}
