// One sslmode's outcome in the matrix, as the report carries it. The cause is a closed set (the JSON Schema lists it):
// it classifies how libpq's attempt ended, and is not a finding code.
import type { SslMode } from "./sslmode.js";

export const CAUSES = [
  "client-config",
  "dns-failure",
  "refused",
  "timeout",
  "unreachable",
  "server-ssl-off",
  "sslrequest-bad-reply",
  "unknown-ca",
  "self-signed",
  "missing-intermediate",
  "cert-expired",
  "cert-not-yet-valid",
  "cert-revoked",
  "crl-missing",
  "hostname-mismatch",
  "tls-version",
  "tls-handshake",
  "client-cert-rejected",
  "client-cert-required",
  "client-cert-cn",
  "hba-reject",
  "wrong-password",
  "no-password",
  "role-missing",
  "database-missing",
  "too-many-connections",
  "server-starting",
  "server-closed",
  "server-error",
  "gss-out-of-scope",
  /** The server accepted the TCP connection and then went silent (a hung server, an exhausted pooler). */
  "no-reply",
  /** The run's overall deadline (--deadline) ran out first: could not run, decides nothing. */
  "deadline",
] as const;
export type Cause = (typeof CAUSES)[number];

/** One session attempt under one sslmode, as libpq would make it. */
export interface ModeResult {
  sslmode: SslMode;
  /** Would libpq establish a session? null only when it could not be decided (message says why). */
  ok: boolean | null;
  /** The stage where the attempt ended: "dns", "tcp", "sslrequest", "tls", "verify", "hostname", "auth", "session", "config". */
  stage: string;
  code?: Cause;
  message?: string;
  credentialsSent: boolean;
  /** Whether the session (or the attempt that decided it) was encrypted. */
  encrypted?: boolean;
  tls?: { protocol: string; cipher: string };
  durationMs?: number;
}
