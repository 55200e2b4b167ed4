// Where the client's libpq, OpenSSL or driver changes what the matrix predicts (model/client.ts), as pure rules
// the matrix applies to its attempts. Each was measured with the real clients (fixtures/clients/outcomes.json).
import type { AlertWording, ClientProfile } from "../model/client.js";
import type { SslMode } from "../model/sslmode.js";
import type { AttemptEnd, Channel } from "./plan.js";

/**
 * OpenSSL 3.2 renamed the TLS alert reasons: "sslv3 alert certificate expired" became "ssl/tls alert certificate
 * expired". Node's own OpenSSL words the alert one way; the client's OpenSSL decides how libpq prints it.
 */
export function wordAlerts(message: string, wording: AlertWording): string {
  return wording === "ssl/tls"
    ? message.replace(/\bsslv3 alert /g, "ssl/tls alert ")
    : message.replace(/\bssl\/tls alert /g, "sslv3 alert ");
}

/**
 * After this attempt failed, does the client go on to the next host? libpq does for most failures, but a host
 * that answers 'N' when SSL is required ends the whole connection (libpq 15.18, 17.11 and 18.6 alike: "server does
 * not support SSL, but SSL was required" goes to error_return). psycopg 3 makes one libpq connection per host
 * itself (psycopg/_conninfo_attempts.py), so for it every failure moves on.
 */
export function triesNextHost(client: ClientProfile | undefined, end: AttemptEnd): boolean {
  if (client?.triesHostsItself) return true;
  return end !== "ssl-refused";
}

export interface AttemptLike {
  channel: Channel;
  end: AttemptEnd | "withheld";
  cause?: string;
}

/**
 * Which attempt of a failed mode decides it, and so its fix: the last one, except where the fallback's failure
 * only says the server refuses what the mode fell back to. Under prefer, a plaintext attempt refused by pg_hba
 * ("no encryption") after an SSL failure means the SSL failure is the one to fix, not a missing hostnossl line.
 */
export function decidingAttempt(mode: SslMode, attempts: readonly AttemptLike[]): number {
  const last = attempts.length - 1;
  const final = attempts[last];
  if (!final || final.end === "ok") return last;
  if (mode === "prefer" && final.channel === "plain" && final.cause === "hba-reject") {
    for (let i = last - 1; i >= 0; i--) if (attempts[i]?.channel === "ssl") return i;
  }
  return last;
}
