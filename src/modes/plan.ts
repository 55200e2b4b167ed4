// libpq's order of attempts per sslmode and when it moves on to the next one (fe-connect.c, PQconnectPoll;
// libpq.md §1.1, §1.9). Pure: the matrix runs these plans against the real server.
import type { SslMode } from "../model/sslmode.js";

export type Channel = "plain" | "ssl";

/**
 * Why an attempt ended, in the terms libpq's fallback logic cares about:
 * - "ok": a session was established;
 * - "config": the client could not even set up SSL (root/cert/key file errors); nothing was sent;
 * - "network": DNS, TCP connect or timeout; libpq moves to the next host/address, never to the other channel;
 * - "ssl-refused": the server answered 'N' to the SSLRequest;
 * - "ssl-error": the server answered 'E' (or garbage) to the SSLRequest;
 * - "tls": the TLS handshake or the server certificate check failed;
 * - "tls-after-handshake": the handshake completed on the client's side and the server's alert came afterwards,
 *   while libpq was already waiting for the authentication request (TLS 1.3: the server checks the client's
 *   certificate after the client's Finished). libpq fails there and does not fall back;
 * - "server-error": the server sent an ErrorResponse during start-up or authentication (pg_hba, password, role...);
 * - "client-auth": libpq itself gave up during authentication (no password to send); a hard failure;
 * - "deadline": dbdoctor's overall --deadline cut the attempt short: nothing is decided, nothing more is tried.
 */
export type AttemptEnd =
  | "ok"
  | "config"
  | "network"
  | "ssl-refused"
  | "ssl-error"
  | "tls"
  | "tls-after-handshake"
  | "server-error"
  | "client-auth"
  | "deadline";

export function attemptOrder(mode: SslMode): Channel[] {
  switch (mode) {
    case "disable":
      return ["plain"];
    case "allow":
      return ["plain", "ssl"];
    case "prefer":
      return ["ssl", "plain"];
    default:
      return ["ssl"];
  }
}

/**
 * After an attempt on `channel` ended with `end`, does libpq try the next channel of the plan on the same host?
 * - prefer: an SSL failure during set-up, the handshake or verification, or an ErrorResponse over SSL, falls back to
 *   plaintext; a TLS alert after the handshake completed (TLS 1.3 client-certificate rejection) does not;
 *   'N' continues in plaintext on the same socket. An 'E' reply is a hard failure.
 * - allow: only an ErrorResponse to the plaintext attempt makes libpq retry with SSL.
 * Network failures never switch channel: libpq moves to the next address or host instead. A client-side
 * authentication failure ("no password supplied") is a hard failure (pg_fe_sendauth -> error_return).
 */
export function fallsBack(mode: SslMode, channel: Channel, end: AttemptEnd): boolean {
  if (end === "ok" || end === "network" || end === "client-auth" || end === "deadline" || end === "tls-after-handshake")
    return false;
  if (mode === "prefer" && channel === "ssl") return end !== "ssl-error";
  if (mode === "allow" && channel === "plain") return end === "server-error";
  return false;
}

/** Whether libpq verifies the server chain under this mode (the root-CA-present rule, libpq.md §1.2). */
export function verifiesChain(mode: SslMode, rootPresent: boolean): boolean {
  return mode === "verify-ca" || mode === "verify-full" || rootPresent;
}
