// Whether libpq verifies the server's certificate at all, from the sslmode and the root file: a missing root file
// fails verify-ca/verify-full before the handshake, require without one accepts any certificate, and a root file
// present makes require verify the chain exactly as verify-ca does.
import { rootMissingMessage } from "../../pki/libpq-messages.js";
import { serverCertFile } from "../certs/sets.js";
import { systemRootAdvice } from "../client-advice.js";
import { defineRule } from "../rule.js";

const VERIFY = new Set(["verify-ca", "verify-full"]);

export default defineRule({
  id: "files/verification",
  family: "files",
  codes: {
    "tls.root-missing": {
      severity: "error",
      title: "verify-ca/verify-full without a root certificate file",
      description: "libpq fails before the handshake: root certificate file does not exist.",
      hint: "Provide sslrootcert (the CA that issued the server's certificate), or use sslrootcert=system for a public CA.",
    },
    "tls.not-verified": {
      severity: "warning",
      title: "The server's certificate is not verified at all",
      description:
        "Under require (or prefer/allow) without a root file libpq encrypts but accepts any certificate: anyone in the path can impersonate the server.",
      hint: "Provide sslrootcert and use sslmode=verify-full.",
    },
    "tls.require-verifies": {
      severity: "info",
      title: "sslmode=require verifies the chain because a root file is present",
      description:
        "For backwards compatibility libpq verifies the server's chain under require/prefer/allow whenever a root certificate file exists, exactly as verify-ca does.",
      hint: "Say what you mean: use sslmode=verify-full (or verify-ca).",
    },
  },
  check({ files: a, client }, { report }) {
    if (!a) return;
    const f = a.root;
    if (!a.rootSystem && a.sslmode !== "disable" && f?.read.status === "missing") {
      if (VERIFY.has(a.sslmode))
        report("tls.root-missing", "sslrootcert", rootMissingMessage(f.path, a.libpq), {
          hint: `Put the CA certificate that issued the server's certificate at "${f.path}" (or set sslrootcert), or use ${systemRootAdvice(client, a.libpq)} for a public CA.`,
          evidence: { path: f.path, sslmode: a.sslmode },
        });
      else if (f.origin === "default" && a.sslmode === "require")
        report(
          "tls.not-verified",
          "sslmode",
          `sslmode=require and no root certificate file ("${f.path}" does not exist): any server certificate is accepted.`,
          { evidence: { path: f.path } },
        );
    }
    const s = a.server;
    const leaf = serverCertFile(a)?.certs[0];
    if (!s || !leaf) return;
    if (!s.chainChecked) {
      if (a.sslmode === "require" || a.sslmode === "prefer" || a.sslmode === "allow")
        report(
          "tls.not-verified",
          "sslmode",
          `sslmode=${a.sslmode} without a root certificate file: libpq accepts ${leaf.subject} without any check.`,
          { hint: "Provide sslrootcert and use sslmode=verify-full.", evidence: { sslmode: a.sslmode } },
        );
    } else if (s.chain?.ok === true && !VERIFY.has(a.sslmode))
      report(
        "tls.require-verifies",
        "sslmode",
        `sslmode=${a.sslmode} verifies the chain here because a root certificate file is present.`,
        { evidence: { sslmode: a.sslmode } },
      );
  },
});
