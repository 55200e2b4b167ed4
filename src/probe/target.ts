// `dbdoctor server HOST[:PORT]`: the target as an operator types it, including the bracketed IPv6 form.
import { isIP } from "node:net";
import { UsageError } from "../errors.js";

export const DEFAULT_PORT = 5432;

export interface Target {
  host: string;
  port: number;
}

function parsePort(text: string, target: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535)
    throw new UsageError(`port "${text}" in "${target}" is not a TCP port`, "Give a port between 1 and 65535.");
  return Number(text);
}

/** "db", "db:5433", "10.0.0.1:5433", "[::1]:5433", "[::1]" and a bare IPv6 literal "::1" (no port then). */
export function parseTarget(target: string): Target {
  const t = target.trim();
  const hint = "Write HOST, HOST:PORT or [IPv6]:PORT, e.g. db.internal:5432 or [::1]:5433.";
  if (t === "") throw new UsageError("no server given", hint);
  if (t.startsWith("[")) {
    const m = /^\[([^\]]+)\](?::(.*))?$/.exec(t);
    if (!m || isIP(m[1] as string) !== 6) throw new UsageError(`"${target}" is not a valid [IPv6]:PORT target`, hint);
    return { host: m[1] as string, port: m[2] === undefined ? DEFAULT_PORT : parsePort(m[2], target) };
  }
  // More than one colon without brackets: only a bare IPv6 literal makes sense.
  if (t.indexOf(":") !== t.lastIndexOf(":")) {
    if (isIP(t) === 6) return { host: t, port: DEFAULT_PORT };
    throw new UsageError(`"${target}" has several colons but is not an IPv6 address`, hint);
  }
  const colon = t.indexOf(":");
  if (colon === -1) return { host: t, port: DEFAULT_PORT };
  const host = t.slice(0, colon);
  if (host === "") throw new UsageError(`"${target}" names no host`, hint);
  return { host, port: parsePort(t.slice(colon + 1), target) };
}
