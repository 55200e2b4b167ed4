// What the root file holds as trust anchors: which certificates are roots and intermediates, and which cannot anchor
// anything (not a CA, no keyCertSign, no root at all: libpq does not accept partial chains).
import { isCa } from "../../pki/x509.js";
import { loadedRoot } from "../certs/sets.js";
import { defineRule } from "../rule.js";

export default defineRule({
  id: "files/root",
  family: "files",
  codes: {
    "ca.not-ca": {
      severity: "error",
      title: "sslrootcert holds a certificate that is not a CA",
      description:
        "A certificate without basicConstraints CA:TRUE cannot issue others; unless the server presents exactly this self-signed certificate, it anchors nothing.",
      hint: "Put the CA certificate (the issuer of the server's certificate) in sslrootcert, not the server's own certificate.",
    },
    "ca.no-keycertsign": {
      severity: "error",
      title: "A CA certificate's key usage excludes keyCertSign",
      description: "OpenSSL does not accept it as the issuer of other certificates.",
      hint: "Re-issue the CA certificate with keyUsage keyCertSign, cRLSign.",
    },
    "ca.intermediate-only": {
      severity: "error",
      title: "sslrootcert holds no root CA",
      description:
        "libpq does not accept partial chains: the root file must contain the self-signed root. An intermediate alone anchors nothing (unable to get issuer certificate).",
      hint: "Add the root CA certificate that issued the intermediate to the sslrootcert file.",
    },
    "ca.summary": {
      severity: "info",
      title: "Roots and intermediates in sslrootcert",
      description: "Which certificates in the root file are self-signed roots and which are intermediates.",
    },
    "ca.server-unknown": {
      severity: "info",
      title: "The server's certificate was not given",
      description:
        "Without --server-cert (or a live probe) dbdoctor cannot tell whether sslrootcert anchors the server's chain or whether its names match the host.",
      hint: "Pass --server-cert FILE --host HOST, or run dbdoctor check against the server.",
    },
  },
  check({ command, files: a }, { report }) {
    const f = a && loadedRoot(a);
    if (!a || !f) return;
    const roots = f.certs.filter((c) => c.selfIssued);
    const intermediates = f.certs.filter((c) => !c.selfIssued && isCa(c));
    for (const c of f.certs) {
      if (!c.selfIssued && !isCa(c) && !c.keyUsage?.includes("keyCertSign"))
        report(
          "ca.not-ca",
          "sslrootcert",
          `sslrootcert "${f.path}" holds ${c.subject}, which is not a CA (no basicConstraints CA:TRUE) and not self-signed: it anchors nothing.`,
          { evidence: { path: f.path, subject: c.subject } },
        );
      if (isCa(c) && c.keyUsage && !c.keyUsage.includes("keyCertSign"))
        report(
          "ca.no-keycertsign",
          "sslrootcert",
          `CA certificate ${c.subject} in "${f.path}" has keyUsage ${c.keyUsage.join(", ")} without keyCertSign; OpenSSL does not accept it as an issuer.`,
          { evidence: { path: f.path, subject: c.subject } },
        );
    }
    if (roots.length === 0 && intermediates.length > 0)
      report(
        "ca.intermediate-only",
        "sslrootcert",
        `sslrootcert "${f.path}" holds only intermediate CA certificate(s) (${intermediates.map((c) => c.subject).join("; ")}) and no self-signed root; libpq does not accept partial chains, so verification fails with "unable to get issuer certificate".`,
        { hint: `Append the root CA (${intermediates[0]?.issuer}) to "${f.path}".`, evidence: { path: f.path } },
      );
    const list = (cs: typeof roots) => (cs.length ? ` (${cs.map((c) => c.subject).join("; ")})` : "");
    report(
      "ca.summary",
      "sslrootcert",
      `sslrootcert "${f.path}": ${roots.length} root${roots.length === 1 ? "" : "s"}${list(roots)}, ${intermediates.length} intermediate${intermediates.length === 1 ? "" : "s"}${list(intermediates)}.`,
      {
        evidence: {
          path: f.path,
          roots: roots.map((c) => c.subject),
          intermediates: intermediates.map((c) => c.subject),
        },
      },
    );
    // `dbdoctor certs` alone: say what it could not check (check and audit have the probe, or say so elsewhere).
    if (!a.server && command === "certs")
      report(
        "ca.server-unknown",
        "sslrootcert",
        `Without the server's certificate dbdoctor cannot tell whether "${f.path}" anchors the server's chain or whether the certificate names the host.`,
        { evidence: { path: f.path } },
      );
  },
});
