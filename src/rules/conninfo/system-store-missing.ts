// sslrootcert=system trusts whatever the client's OpenSSL finds at its default paths (or SSL_CERT_FILE /
// SSL_CERT_DIR). The psycopg wheels' bundled OpenSSL looks at its build machine's OPENSSLDIR, absent everywhere
// else: every server certificate then fails "certificate verify failed" (measured: psycopg-binary 3.3.6,
// psycopg2-binary 2.9.13, fixtures/clients/outcomes.json, system-store scenario).
import { DEBIAN_CA_BUNDLE } from "../client-advice.js";
import { defineRule } from "../rule.js";
import { sslOverTcp } from "./sslmode.js";

export default defineRule({
  id: "conninfo/system-store-missing",
  family: "conninfo",
  codes: {
    "sslmode.system-store-missing": {
      severity: "error",
      title: "sslrootcert=system, but the client's OpenSSL has no trust store",
      description:
        "With sslrootcert=system libpq trusts the default store of the OpenSSL it runs with. A driver wheel that bundles its own OpenSSL (psycopg[binary], psycopg2-binary) looks for that store at a path of the machine it was built on, which does not exist, so no server certificate verifies unless SSL_CERT_FILE or SSL_CERT_DIR names a store.",
      hint: `Set SSL_CERT_FILE=${DEBIAN_CA_BUNDLE} in the application's environment, or set sslrootcert to a CA file.`,
    },
  },
  check({ conninfo, client }, { report }) {
    const s = sslOverTcp(conninfo);
    if (!conninfo || !s || !client || s.mode === "disable") return;
    if (conninfo.major < 16 || conninfo.effective.sslrootcert?.value !== "system" || client.trustStore.present) return;
    const where = [client.trustStore.file, ...client.trustStore.dirs].join(", ");
    report(
      "sslmode.system-store-missing",
      "sslrootcert",
      `sslrootcert=system: ${client.name}'s OpenSSL looks for trusted roots at ${where}, which do not exist here, so libpq will fail with "SSL error: certificate verify failed" whatever the server sends.`,
      { evidence: { client: client.name, file: client.trustStore.file } },
    );
  },
});
