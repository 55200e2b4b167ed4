// What the server rules share: which endpoints they judge, and libpq's own text for a failure.
import type { Facts } from "../facts.js";

export { tlsEndpoints } from "../certs/sets.js";

/** libpq's first line for a failure, quoted after the finding's own words. */
export function libpqSays(msg: string | undefined): string {
  return msg ? ` libpq: "${msg.split("\n")[0]}"` : "";
}

/** Every probed endpoint (Unix sockets are skipped: libpq ignores sslmode there). */
export function probedEndpoints(facts: Facts) {
  return (facts.server?.facts.endpoints ?? []).filter((ep) => !ep.skipped);
}

const SSL_REQUIRED_MODES = new Set(["require", "verify-ca", "verify-full"]);

/**
 * Whether a server without TLS is a problem here: `dbdoctor server` asks about TLS, so yes; `check` and `audit`
 * under sslmode=disable/allow/prefer leave that verdict to the sslmode matrix.
 */
export function sslRequired(facts: Facts): boolean {
  if (facts.command === "server") return true;
  const mode = facts.server?.sslmode;
  return mode !== undefined && SSL_REQUIRED_MODES.has(mode);
}
