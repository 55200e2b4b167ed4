// Advice that names a setting must work for the client the report predicts for (issue 12): sslrootcert=system is
// only good advice where that client's OpenSSL finds a trust store. The psycopg wheels' bundled OpenSSL looks at
// its build machine's OPENSSLDIR, absent everywhere else, so for them the advice carries SSL_CERT_FILE.
import type { ClientProfile } from "../model/client.js";

/** Debian's and Ubuntu's CA bundle (ca-certificates), the file to name when the client's own store is missing. */
export const DEBIAN_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

/**
 * How to trust a publicly issued server certificate with this client and libpq major, as a clause for a hint:
 * "sslrootcert=system", or what has to come with it, or the bundle file where libpq has no sslrootcert=system.
 */
export function systemRootAdvice(client: ClientProfile | undefined, major: number): string {
  if (major < 16) return `sslrootcert=${DEBIAN_CA_BUNDLE} (libpq ${major} has no sslrootcert=system)`;
  if (client && !client.trustStore.present)
    return `sslrootcert=system together with SSL_CERT_FILE=${DEBIAN_CA_BUNDLE} in the application's environment (${client.name}'s OpenSSL looks for its trust store at ${client.trustStore.file}, which does not exist), or sslrootcert=${DEBIAN_CA_BUNDLE}`;
  return "sslrootcert=system";
}
