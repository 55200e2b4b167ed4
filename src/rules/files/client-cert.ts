// The client certificate as the server will judge it: its purpose, its CN against the database user (pg_hba
// "cert"), and whether the chain libpq sends reaches the CAs of sslrootcert (measured in src/pki/client.ts).
import { EKU } from "../../pki/x509.js";
import { defineRule } from "../rule.js";

export default defineRule({
  id: "files/client-cert",
  family: "files",
  codes: {
    "cert.client-no-clientauth": {
      severity: "error",
      title: "The client certificate's extended key usage excludes clientAuth",
      description:
        "The server's OpenSSL verifies client certificates for the ssl_client purpose and rejects this one (unsupported certificate purpose).",
      hint: "Re-issue the certificate with extendedKeyUsage = clientAuth.",
    },
    "cert.client-cn-user": {
      severity: "warning",
      title: "The client certificate's CN differs from the database user",
      description:
        "With pg_hba 'cert' authentication (or clientcert=verify-full) the server compares the certificate's CN with the user name, unless a map= option maps it.",
      hint: "Connect as the CN's user, re-issue the certificate for the user, or add map= with a pg_ident.conf entry.",
    },
    "cert.client-chain-incomplete": {
      severity: "warning",
      title: "The client certificate's intermediate is not in sslcert",
      description:
        "libpq sends the certificates in sslcert (leaf first). A client certificate issued by an intermediate CA needs that intermediate in the same file unless the server's ssl_ca_file holds it.",
      hint: "Append the intermediate CA certificate to the sslcert file after the client certificate.",
    },
    "ca.client-not-anchored": {
      severity: "info",
      title: "sslrootcert does not anchor the client certificate",
      description:
        "The server checks client certificates against its own ssl_ca_file, not against sslrootcert; if the same CA is meant to sign both, this shows it does not.",
      hint: "Make sure the server's ssl_ca_file holds the CA that issued the client certificate.",
    },
  },
  check({ files: a }, { report }) {
    const leaf = a?.clientCerts?.[0];
    const f = a?.cert;
    if (!a || !leaf || !f) return;
    if (leaf.extKeyUsage && !leaf.extKeyUsage.includes(EKU.clientAuth))
      report(
        "cert.client-no-clientauth",
        "sslcert",
        `Client certificate ${leaf.subject} has extendedKeyUsage ${leaf.extKeyUsage.join(", ")} without clientAuth; the server rejects it (unsupported certificate purpose).`,
        { evidence: { path: f.path, extKeyUsage: leaf.extKeyUsage } },
      );
    const cn = leaf.commonNames[0]?.toString("utf8");
    if (a.user && cn !== undefined && cn !== a.user)
      report(
        "cert.client-cn-user",
        "sslcert",
        `The client certificate's CN is "${cn}" but the database user is "${a.user}"; pg_hba "cert" authentication (and clientcert=verify-full) fails with certificate authentication failed for user "${a.user}" unless a map= entry maps "${cn}" to "${a.user}".`,
        {
          hint: `Connect as user "${cn}", or add map=certmap to the pg_hba line and "certmap ${cn} ${a.user}" to pg_ident.conf.`,
          evidence: { path: f.path, cn, user: a.user },
        },
      );
    const chain = a.clientChain;
    if (chain?.intermediateNotSent !== undefined)
      report(
        "cert.client-chain-incomplete",
        "sslcert",
        `Client certificate ${leaf.subject} is issued by the intermediate ${chain.intermediateNotSent}, which is not in sslcert "${f.path}"; libpq sends only what sslcert holds.`,
        {
          hint: `cat "${f.path}" intermediate.crt > client-chain.crt and set sslcert=client-chain.crt.`,
          evidence: { path: f.path, issuer: chain.intermediateNotSent },
        },
      );
    const v = chain?.verification;
    if (v && !v.ok && (v.reason === "unknown-ca" || v.reason === "self-signed"))
      report(
        "ca.client-not-anchored",
        "sslcert",
        `sslrootcert does not anchor the client certificate ${leaf.subject} (${v.message}); the server needs the issuing CA (${leaf.issuer}) in its ssl_ca_file.`,
        { evidence: { path: f.path } },
      );
  },
});
