// What the root file holds as trust anchors: which certificates are roots and intermediates, and which cannot anchor
// anything (not a CA, no keyCertSign, no root at all: libpq does not accept partial chains).
import { type CertInfo, daysBetween, isCa } from "../../pki/x509.js";
import { LEVEL1_SECURITY_BITS, MIN_SECURITY_BITS } from "../certs/policy.js";
import { loadedRoot, rootUse } from "../certs/sets.js";
import { defineRule } from "../rule.js";
import { shortList } from "./list.js";

/** What makes a CA certificate of the file unusable or about to be, at `now` (counted, not judged one by one). */
function condition(c: CertInfo, now: Date, warnDays: number): "expired" | "not-yet-valid" | "weak" | "expiring" | null {
  if (c.notAfter < now) return "expired";
  if (c.notBefore > now) return "not-yet-valid";
  // A trust anchor's own signature is never checked; its key is (CA certificate key too weak), an issuer's hash too.
  if (c.keySecurityBits !== null && c.keySecurityBits < MIN_SECURITY_BITS) return "weak";
  if (!c.selfIssued && c.signatureSecurityBits !== null && c.signatureSecurityBits < LEVEL1_SECURITY_BITS)
    return "weak";
  if (daysBetween(now, c.notAfter) < warnDays) return "expiring";
  return null;
}

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
    "ca.unused": {
      severity: "info",
      title: "Certificates of a root bundle that no chain uses, counted",
      description:
        "OpenSSL judges only the certificates that end up in the chain it builds; the rest of a bundle (a provider's expired regional roots, a public store's weak old roots) breaks nothing. They are counted here (expired, expiring, weak), and judged one by one only once a chain uses them.",
    },
    "ca.no-usable-root": {
      severity: "error",
      title: "No usable root is left in sslrootcert",
      description:
        "Every self-signed root in the file has expired, is not valid yet or has a key the client refuses: every chain that ends in one fails (certificate has expired), as with the deprecated all-expired rds-combined-ca-bundle.pem.",
      hint: "Replace the file with the provider's current CA bundle.",
    },
    "ca.server-unknown": {
      severity: "info",
      title: "The server's certificate was not given",
      description:
        "Without --server-cert (or a live probe) dbdoctor cannot tell whether sslrootcert anchors the server's chain or whether its names match the host.",
      hint: "Pass --server-cert FILE --host HOST, or run dbdoctor check against the server.",
    },
  },
  options: {
    warnDays: {
      default: 30,
      description: "Count certificates of the root file that expire within this many days as expiring (--warn-days).",
    },
  },
  check(facts, { options, report }) {
    const { command, files: a, now } = facts;
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
    const list = (cs: typeof roots) => (cs.length ? ` (${shortList(cs.map((c) => c.subject))})` : "");
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
    const use = rootUse(facts);
    if (use && use.unused.length > 0) {
      const by = {
        expired: [] as string[],
        "not-yet-valid": [] as string[],
        weak: [] as string[],
        expiring: [] as string[],
      };
      for (const c of use.unused) {
        const state = condition(c, now, options.warnDays);
        if (state) by[state].push(c.subject);
      }
      const counts = [
        `${by.expired.length} expired`,
        ...(by["not-yet-valid"].length ? [`${by["not-yet-valid"].length} not valid yet`] : []),
        `${by.expiring.length} expiring within ${options.warnDays} days`,
        `${by.weak.length} weak`,
      ].join(", ");
      const usedText = use.byUse
        ? `${use.judged.length} of its ${f.certs.length} certificates verify the server's chain (${shortList(use.judged.map((c) => c.subject))}) and are judged as such; OpenSSL never looks at the other ${use.unused.length}`
        : `holds ${f.certs.length} certificates; OpenSSL judges only those a server's chain ends up using, so they are counted here, not judged`;
      report("ca.unused", "sslrootcert", `sslrootcert "${f.path}" ${usedText}: ${counts}.`, {
        evidence: {
          path: f.path,
          unused: use.unused.length,
          expired: by.expired,
          notYetValid: by["not-yet-valid"],
          expiring: by.expiring,
          weak: by.weak,
        },
      });
      const usable = roots.filter((c) => {
        const state = condition(c, now, options.warnDays);
        return state === null || state === "expiring";
      });
      if (!use.byUse && use.judged.length === 0 && roots.length > 0 && usable.length === 0)
        report(
          "ca.no-usable-root",
          "sslrootcert",
          `None of the ${roots.length} roots in sslrootcert "${f.path}" is usable (${counts}): every chain ending in one of them fails ("certificate has expired" or "CA certificate key too weak").`,
          { evidence: { path: f.path, roots: roots.length } },
        );
    }
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
