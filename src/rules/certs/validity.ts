// Every certificate's own dates, wherever it comes from: the root and client files, the --server-cert file and the
// chain a server sent. OpenSSL refuses a certificate outside its validity period anywhere in a chain (certificate
// has expired / is not yet valid); one that expires within warnDays still works, and deserves a warning.
import { daysBetween } from "../../pki/x509.js";
import type { Facts } from "../facts.js";
import { defineRule } from "../rule.js";
import {
  againstText,
  type CertificateSet,
  type CertView,
  certificateSets,
  libpqVerifyText,
  outOfDates,
  type ServerChain,
  serverChains,
  where,
} from "./sets.js";

const day = (d: Date) => d.toISOString().slice(0, 10);

function renewHint(set: CertificateSet, c: CertView, before?: Date): string {
  const when = before ? ` before ${day(before)}` : "";
  return set.holder === "server"
    ? `Renew ${c.name}${when} in the server's ssl_cert_file and reload PostgreSQL (SELECT pg_reload_conf()).`
    : `Renew ${c.name}${when} and replace "${set.path ?? set.subject}".`;
}

function evidence(set: CertificateSet, c: CertView) {
  return {
    ...(set.path !== undefined ? { path: set.path } : {}),
    subject: c.subject,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
  };
}

interface AnchorDates {
  code: "cert.expired" | "cert.not-yet-valid";
  subject: string;
  message: string;
  hint: string;
  evidence: { subject: string | null; depth: number | null; reason: string };
}

/**
 * A chain that fails on the dates of a certificate judged nowhere else (a CA of the system store, or of a root file
 * this command does not read as a file, like `dbdoctor server --sslrootcert`): said on its own. A certificate the
 * per-certificate judgment sees (sent in the chain, or in the root file read here) is reported once, where it is.
 */
function anchorDates(facts: Facts, judged: readonly CertificateSet[]): AnchorDates[] {
  const out: AnchorDates[] = [];
  const seen = (subject: string | undefined) =>
    judged.some((set) => set.certs.some((c) => c.subject === subject && outOfDates(c, facts.now)));
  for (const chain of serverChains(facts)) {
    const v = chain.verification;
    if (v?.ok !== false || !v.reason || !["expired", "ca-expired", "not-yet-valid"].includes(v.reason)) continue;
    if (seen(v.subject)) continue;
    const early = v.reason === "not-yet-valid";
    out.push({
      code: early ? "cert.not-yet-valid" : "cert.expired",
      subject: chain.subject,
      message: `${chain.label} does not verify against ${againstText(v.trust)}: the CA certificate ${v.subject ?? "?"} (depth ${v.depth ?? "?"}) ${early ? "is not valid yet" : "has expired"}. ${libpqVerifyText(v.message)}.`,
      hint: early
        ? "Check the clocks; replace the CA certificate in the root file with one that is valid now."
        : `Replace the expired CA certificate in ${againstText(v.trust)} with its renewed one (and renew what it issued if its key changed).`,
      evidence: { subject: v.subject ?? null, depth: v.depth ?? null, reason: v.reason },
    });
  }
  return out;
}

export default defineRule({
  id: "certs/validity",
  family: "certs",
  codes: {
    "cert.expired": {
      severity: "error",
      title: "A certificate has expired",
      description:
        "OpenSSL refuses an expired certificate anywhere in a chain (certificate has expired): a server certificate or one of its CAs, a CA in sslrootcert, or the client certificate (the server refuses it). Judged the same way for a file and for the chain a server sent.",
      hint: "Renew the certificate and replace the file (for the server's: its ssl_cert_file, then reload PostgreSQL).",
    },
    "cert.not-yet-valid": {
      severity: "error",
      title: "A certificate is not valid yet",
      description:
        "Its notBefore lies in the future (a clock skew, or issued with a wrong date): OpenSSL refuses it (certificate is not yet valid).",
      hint: "Check the clocks of the issuing machine and this one; re-issue with the right start date.",
    },
    "cert.expiring": {
      severity: "warning",
      title: "A certificate expires soon",
      description:
        "The certificate is valid today but expires within --warn-days (default 30): a file's, or one in the chain the server sends.",
      hint: "Renew it before the date shown.",
    },
  },
  options: {
    warnDays: {
      default: 30,
      description: "Warn about certificates that expire within this many days (--warn-days).",
    },
  },
  check(facts, { options, report }) {
    const now = facts.now;
    const sets = certificateSets(facts);
    for (const set of sets) {
      // A server chain libpq does not verify (sslmode=require/prefer/allow without a root file): an expired
      // certificate does not stop the connection, so it is a warning, said as such.
      const unverified = "verification" in set && (set as ServerChain).verification === null;
      const lenient = unverified
        ? {
            severity: "warning" as const,
            note: " libpq does not verify the server's certificate here (no root file), so it connects anyway; verify-ca/verify-full would refuse it.",
          }
        : { note: "" };
      set.certs.forEach((c, i) => {
        const at = where(set, i);
        if (c.notAfter < now) {
          report(
            "cert.expired",
            set.subject,
            `${at}: ${c.subject} expired on ${day(c.notAfter)} (${daysBetween(c.notAfter, now)} days ago).${lenient.note}`,
            {
              hint: renewHint(set, c),
              evidence: { ...evidence(set, c), daysLeft: -daysBetween(c.notAfter, now) },
              ...(lenient.severity ? { severity: lenient.severity } : {}),
            },
          );
        } else if (c.notBefore > now) {
          report(
            "cert.not-yet-valid",
            set.subject,
            `${at}: ${c.subject} is valid only from ${day(c.notBefore)} (in ${daysBetween(now, c.notBefore) + 1} days).${lenient.note}`,
            {
              evidence: { ...evidence(set, c), daysLeft: daysBetween(now, c.notAfter) },
              ...(lenient.severity ? { severity: lenient.severity } : {}),
            },
          );
        } else {
          const left = daysBetween(now, c.notAfter);
          if (left < options.warnDays)
            report(
              "cert.expiring",
              set.subject,
              `${at}: ${c.subject} expires on ${day(c.notAfter)}, in ${left} days (--warn-days ${options.warnDays}).`,
              { hint: renewHint(set, c, c.notAfter), evidence: { ...evidence(set, c), daysLeft: left } },
            );
        }
      });
    }
    for (const f of anchorDates(facts, sets))
      report(f.code, f.subject, f.message, { hint: f.hint, evidence: f.evidence });
  },
});
