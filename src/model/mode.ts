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
  /** libpq refused the server's authentication request or its outcome: channel_binding, require_auth, sslcertmode. */
  "auth-requirement",
  /** The server accepted the TCP connection and then went silent (a hung server, an exhausted pooler). */
  "no-reply",
  /** The run's overall deadline (--deadline) ran out first: could not run, decides nothing. */
  "deadline",
] as const;
export type Cause = (typeof CAUSES)[number];

/** One connection attempt of a mode's plan (a host, a channel), as it ended. */
export interface AttemptSummary {
  host: string;
  port: number;
  channel: "plain" | "ssl";
  /** A session was established; null when the password was held back and nothing settled it. */
  ok: boolean | null;
  stage: string;
  code?: Cause;
  message?: string;
}

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
  /**
   * Every attempt the mode's plan made, in order, when there was more than one (prefer's SSL then plaintext, allow's
   * plaintext then SSL, several hosts): each with its own error, so the one that decides is not lost.
   */
  attempts?: AttemptSummary[];
  /** Which of `attempts` decides the verdict and its fix (e.g. prefer's SSL failure, not the fallback's hba refusal). */
  decidedBy?: number;
}
