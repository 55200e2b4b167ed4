// One attempt's request as libpq would make it: where to connect, as whom, and with which TLS material and checks
// for the sslmode. Shared by the sslmode matrix and by the operations stage's single session.
import { userInfo } from "node:os";
import type { HostEntry } from "../conninfo/types.js";
import type { LibpqMajor } from "../model/options.js";
import type { SslMode } from "../model/sslmode.js";
import { parseLibpqTlsVersion } from "../probe/versions.js";
import type { AttemptRequest } from "./attempt.js";
import type { ClientTlsCache } from "./client-tls.js";
import type { SendPassword } from "./credentials.js";
import { authSettingsFrom } from "./libpq-auth.js";
import type { Channel } from "./plan.js";

/** getpwuid's name, libpq's default user (and, through it, database). */
export function currentOsUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "";
  }
}

export interface RequestInput {
  /** Effective libpq values, raw (the password included): never printed. */
  values: Record<string, string | undefined>;
  mode: SslMode;
  home: string | null;
  major: LibpqMajor;
  timeoutMs: number;
  osUser: string;
  sendPassword: SendPassword;
  collectSession?: boolean;
  /** The client TLS material, read and parsed once per run (before the network clock starts). */
  tls: ClientTlsCache;
}

/** The request for one channel of `mode` on `host`, or libpq's message when initialize_SSL would already fail. */
export function attemptRequest(input: RequestInput, host: HostEntry, channel: Channel): AttemptRequest | string {
  const v = input.values;
  const req: AttemptRequest = {
    connectHost: host.hostaddr || host.host,
    verifyHost: host.host,
    port: Number(host.port || 5432),
    user: v.user || input.osUser,
    database: v.dbname || v.user || input.osUser,
    channel,
    password: v.password,
    sendPassword: input.sendPassword,
    timeoutMs: input.timeoutMs,
    major: input.major,
    ...(input.collectSession ? { collectSession: true } : {}),
    auth: authSettingsFrom(v, input.major),
  };
  if (v.options) req.options = v.options;
  if (v.application_name) req.applicationName = v.application_name;
  if (channel === "plain") return req;
  const setup = input.tls.setup(input.mode);
  if (!setup.ok) return setup.message;
  const min = v.ssl_min_protocol_version ? parseLibpqTlsVersion(v.ssl_min_protocol_version) : null;
  const max = v.ssl_max_protocol_version ? parseLibpqTlsVersion(v.ssl_max_protocol_version) : null;
  req.tls = {
    material: setup.material,
    verifyChain: setup.verifies,
    verifyHostname: input.mode === "verify-full",
    alpn: input.major >= 17,
    ...(min ? { minVersion: min } : {}),
    ...(max ? { maxVersion: max } : {}),
  };
  return req;
}
