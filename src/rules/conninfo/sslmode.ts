// What the sslmode rules share: the sslmode libpq will use, where it came from, and the host slots it applies to
// (libpq never uses SSL over a Unix-domain socket, init_allowed_encryption_methods).
import type { ConninfoRuleFacts, EffectiveParam, HostEntry } from "../../conninfo/types.js";
import { isSslMode, type SslMode } from "../../model/sslmode.js";

export interface SslSetting {
  mode: SslMode;
  /** The effective sslmode parameter (absent only in hand-built facts without defaults). */
  param: EffectiveParam | undefined;
  /** Set by the user (string, service file, environment, application), not libpq's default. */
  explicit: boolean;
  tcp: HostEntry[];
  sockets: HostEntry[];
}

/** Set by someone, not libpq's compiled-in default. */
export const explicit = (p: EffectiveParam | undefined): p is EffectiveParam =>
  p !== undefined && p.source !== "default";

/**
 * The sslmode and host slots, or null when there is nothing to judge: libpq stops at a parse error, an invalid
 * sslmode is already an option error, and without hosts the string was never read.
 */
export function sslSetting(c: ConninfoRuleFacts | undefined): SslSetting | null {
  if (!c) return null;
  // Every sslmode rule asks for the same facts object in one rules pass (an audit runs 10,000 of them).
  let s = settings.get(c);
  if (s === undefined) {
    s = computeSetting(c);
    settings.set(c, s);
  }
  return s;
}

const settings = new WeakMap<ConninfoRuleFacts, SslSetting | null>();

function computeSetting(c: ConninfoRuleFacts): SslSetting | null {
  if (c.hosts.length === 0 || c.errors.some((e) => e.stage === "parse")) return null;
  const p = c.effective.sslmode;
  let mode: string;
  if (p !== undefined) mode = p.value;
  else mode = c.effective.sslrootcert?.value === "system" && c.major >= 16 ? "verify-full" : "prefer";
  if (!isSslMode(mode)) return null;
  return {
    mode,
    param: p,
    explicit: explicit(p),
    tcp: c.hosts.filter((h) => h.kind !== "unix-socket"),
    sockets: c.hosts.filter((h) => h.kind === "unix-socket"),
  };
}

/** The setting when at least one host is reached over TCP (where sslmode means something); else null. */
export function sslOverTcp(c: ConninfoRuleFacts | undefined): SslSetting | null {
  const s = sslSetting(c);
  return s !== null && s.tcp.length > 0 ? s : null;
}

export function describeSource(p: EffectiveParam): string {
  switch (p.source) {
    case "connstring":
      return "set in the connection string";
    case "service":
      return `from the service file${p.detail ? ` (${p.detail})` : ""}`;
    case "env":
      return `from the environment${p.detail ? ` (${p.detail})` : ""}`;
    case "application":
      return `added by the application${p.detail ? ` (${p.detail})` : ""}`;
    default:
      return "libpq's default";
  }
}
