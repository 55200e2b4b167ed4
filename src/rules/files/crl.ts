// The CRLs libpq would load: whether libpq loads them at all (it ignores a broken sslcrl silently), whether OpenSSL
// finds them in sslcrldir, and what each says (dates, issuer, signature, revoked certificates; measured in
// src/pki/crl-check.ts).
import { normaliseSerial } from "../../pki/crl.js";
import { defineRule } from "../rule.js";
import { day, kindsText } from "./text.js";

export default defineRule({
  id: "files/crl",
  family: "files",
  codes: {
    "crl.ignored": {
      severity: "warning",
      title: "The CRL is not loaded and libpq says nothing",
      description:
        "libpq silently ignores a missing or unreadable sslcrl (a DER CRL included), and a failing sslcrl also switches off sslcrldir: revoked certificates are accepted.",
      hint: "Fix the CRL path or file (PEM), or drop the parameter.",
    },
    "crl.dir-unhashed": {
      severity: "warning",
      title: "sslcrldir holds CRLs under names OpenSSL does not look for",
      description: "OpenSSL looks up CRLs in a directory by '<issuer hash>.r<n>' only; other names are never read.",
      hint: "Run openssl rehash on the directory (or c_rehash).",
    },
    "crl.dir-no-crl": {
      severity: "error",
      title: "sslcrldir switches CRL checking on but holds no CRL for the chain",
      description:
        "A directory given as sslcrldir switches CRL checking on even when it does not exist; every certificate of the chain then needs a CRL, and verification fails (unable to get certificate CRL).",
      hint: "Put the CA's CRLs in the directory and run openssl rehash, or drop sslcrldir.",
    },
    "crl.summary": {
      severity: "info",
      title: "What the CRL says",
      description: "Issuer, thisUpdate/nextUpdate and the number of revoked serials.",
    },
    "crl.expired": {
      severity: "error",
      title: "The CRL's nextUpdate has passed",
      description: "With CRL checking on, OpenSSL fails every verification that needs this CRL (CRL has expired).",
      hint: "Fetch a fresh CRL from the CA and replace the file.",
    },
    "crl.not-yet-valid": {
      severity: "error",
      title: "The CRL's thisUpdate lies in the future",
      description: "OpenSSL fails verifications that need this CRL (CRL is not yet valid).",
      hint: "Check the clocks; fetch the CRL again.",
    },
    "crl.issuer-unknown": {
      severity: "warning",
      title: "The CRL was issued by a CA that is not in sslrootcert",
      description:
        "A CRL only counts for certificates of its issuer. With CRL checking on, libpq checks every certificate in the chain (CRL_CHECK_ALL): a CA without a CRL makes verification fail (unable to get certificate CRL).",
      hint: "Use the CRL of the CA that issued the server's certificate (and one for each intermediate).",
    },
    "crl.bad-signature": {
      severity: "error",
      title: "The CRL's signature does not verify",
      description: "OpenSSL rejects the CRL (CRL signature failure) and with it the verification.",
      hint: "Fetch the CRL again from the CA.",
    },
    "crl.revokes": {
      severity: "error",
      title: "The CRL revokes a certificate in these files",
      description: "A revoked certificate fails verification (certificate revoked).",
      hint: "Replace the revoked certificate with a newly issued one.",
    },
  },
  check({ files: a, now }, { report }) {
    if (!a) return;
    const f = a.crl;
    const dir = a.crlDir;
    const trust = a.trust;
    if (f?.read.status === "missing") {
      if (f.origin === "explicit")
        report(
          "crl.ignored",
          "sslcrl",
          `sslcrl "${f.path}" does not exist; libpq silently checks no CRL${dir ? `, and because sslcrl fails, sslcrldir "${dir.path}" is not used either` : ""}.`,
          { evidence: { path: f.path } },
        );
    } else if (f?.usable && (f.decoded?.format === "der" || f.crls.length === 0)) {
      const der = f.decoded?.format === "der";
      const what = der ? "is DER (libpq reads PEM only)" : `holds ${kindsText(f.facts.holds ?? []) || "no CRL"}`;
      report(
        "crl.ignored",
        "sslcrl",
        `sslcrl "${f.path}" ${what}; libpq silently checks no CRL${dir ? ` (and ignores sslcrldir "${dir.path}" too)` : ""}.`,
        {
          hint: der ? `openssl crl -inform DER -in "${f.path}" -out root.crl` : "sslcrl must be a PEM CRL from the CA.",
          evidence: { path: f.path },
        },
      );
    }
    if (dir) {
      // by_dir only remembers the path: a missing directory adds nothing, and with CRLs from sslcrl (or the root
      // file) verification goes on with those; only with no CRL at all does every chain fail.
      const noOtherCrl = (trust?.crls.length ?? 0) === 0;
      if (!dir.exists || !dir.isDir) {
        if (trust?.crlCheck && noOtherCrl)
          report(
            "crl.dir-no-crl",
            "sslcrldir",
            `sslcrldir "${dir.path}" ${dir.exists ? "is not a directory" : "does not exist"}, yet it switches CRL checking on: every certificate of the server's chain then needs a CRL, and verification fails (unable to get certificate CRL).`,
            { evidence: { path: dir.path } },
          );
      } else {
        const unhashed = dir.entries.filter((e) => !dir.hashedEntries.includes(e) && /\.(crl|pem|r\d+)$/i.test(e));
        if (unhashed.length > 0)
          report(
            "crl.dir-unhashed",
            "sslcrldir",
            `sslcrldir "${dir.path}" holds ${unhashed.join(", ")}, which OpenSSL never reads (it looks only for <hash>.r<n>).`,
            { hint: `openssl rehash "${dir.path}"`, evidence: { path: dir.path, files: unhashed } },
          );
        if (dir.hashedEntries.length === 0 && trust?.crlCheck && noOtherCrl)
          report(
            "crl.dir-no-crl",
            "sslcrldir",
            `sslcrldir "${dir.path}" holds no rehashed CRL, yet it switches CRL checking on: verification of any chain fails (unable to get certificate CRL).`,
            {
              hint: `Copy the CRLs into "${dir.path}" and run openssl rehash "${dir.path}".`,
              evidence: { path: dir.path },
            },
          );
      }
    }
    for (const check of a.crlChecks) {
      const crl = check.crl;
      const subject = check.source;
      report(
        "crl.summary",
        subject,
        `CRL by ${crl.issuer}: thisUpdate ${day(crl.thisUpdate)}, nextUpdate ${crl.nextUpdate ? day(crl.nextUpdate) : "none"}, ${crl.revoked.length} revoked serial${crl.revoked.length === 1 ? "" : "s"}.`,
        { evidence: { issuer: crl.issuer, revoked: crl.revoked.length } },
      );
      if (crl.nextUpdate && crl.nextUpdate < now)
        report(
          "crl.expired",
          subject,
          `The CRL by ${crl.issuer} expired on ${day(crl.nextUpdate)} (nextUpdate); with CRL checking on, verification fails: CRL has expired.`,
          { evidence: { issuer: crl.issuer, nextUpdate: crl.nextUpdate.toISOString() } },
        );
      if (crl.thisUpdate > now)
        report(
          "crl.not-yet-valid",
          subject,
          `The CRL by ${crl.issuer} is valid only from ${day(crl.thisUpdate)}: CRL is not yet valid.`,
          { evidence: { issuer: crl.issuer } },
        );
      if (check.anchorsKnown && !check.issuer)
        report(
          "crl.issuer-unknown",
          subject,
          `The CRL is issued by ${crl.issuer}, which is not in sslrootcert; it cannot serve the CAs there, and with CRL checking on their certificates fail (unable to get certificate CRL).`,
          { evidence: { issuer: crl.issuer } },
        );
      else if (check.issuer && check.signatureOk === false)
        report(
          "crl.bad-signature",
          subject,
          `The CRL claims issuer ${crl.issuer} but its signature does not verify with that CA's key.`,
          { evidence: { issuer: crl.issuer } },
        );
      for (const r of check.revokes)
        report(
          "crl.revokes",
          subject,
          `The CRL by ${crl.issuer} revokes ${r.cert.subject} (serial ${normaliseSerial(r.cert.serialHex)}) in ${r.role} "${r.path}".`,
          { evidence: { issuer: crl.issuer, subject: r.cert.subject, serial: r.cert.serialHex } },
        );
    }
  },
});
