// What the effective sslmode does not protect, after libpq's table (libpq-ssl.html, "Protection Provided in
// Different Modes"): no sslmode at all means prefer, and only verify-full checks both the CA and the host name.
import type { SslMode } from "../../model/sslmode.js";
import { systemRootAdvice } from "../client-advice.js";
import { defineRule } from "../rule.js";
import { describeSource, sslOverTcp } from "./sslmode.js";

const WEAK_MODE_TEXT: Readonly<Record<Exclude<SslMode, "verify-full">, string>> = {
  disable:
    "sslmode=disable never uses SSL: the password exchange and every query cross the network unencrypted, with no protection against eavesdropping or a man in the middle",
  allow:
    "sslmode=allow tries an unencrypted connection first and uses SSL only if the server insists; the server is never authenticated, so there is no protection against a man in the middle and eavesdropping protection only by chance",
  prefer:
    "sslmode=prefer tries SSL but silently falls back to an unencrypted connection, and never checks who the server is: anyone in the middle can strip SSL or impersonate the server",
  require:
    "sslmode=require encrypts but does not check the server's certificate: it stops passive eavesdropping, not a man in the middle who presents his own certificate",
  "verify-ca":
    "sslmode=verify-ca checks that the server certificate comes from a trusted CA but not that it was issued for this host: any server holding a certificate from that CA can impersonate it",
};

export default defineRule({
  id: "conninfo/weak-sslmode",
  family: "conninfo",
  codes: {
    "sslmode.default-prefer": {
      severity: "warning",
      title: "No sslmode set: libpq uses prefer",
      description:
        "Without sslmode, libpq tries SSL without checking the server's certificate and silently falls back to an unencrypted connection when SSL fails. Nobody notices a downgrade, and the server is never authenticated.",
      hint: "Set sslmode=verify-full with sslrootcert pointing at your CA (or sslrootcert=system with libpq 16+).",
    },
    "sslmode.weak": {
      severity: "warning",
      title: "sslmode weaker than verify-full",
      description:
        "Only verify-full checks both that the certificate comes from a trusted CA and that it was issued for the host connected to. Weaker modes leave the connection open to eavesdropping or to a man in the middle (libpq's table: libpq-ssl.html, Protection Provided in Different Modes).",
      hint: "Use sslmode=verify-full.",
    },
  },
  check({ conninfo, client }, { report }) {
    const s = sslOverTcp(conninfo);
    if (!conninfo || !s) return;
    const { mode, param } = s;
    if (!s.explicit && mode === "prefer") {
      report(
        "sslmode.default-prefer",
        "sslmode",
        "No sslmode is set, so libpq uses prefer: it tries SSL without checking the server's certificate and silently falls back to an unencrypted connection when SSL fails.",
        {
          hint:
            conninfo.major >= 16
              ? `Set sslmode=verify-full and sslrootcert=<your CA file> (or ${systemRootAdvice(client, conninfo.major)} for a server with a publicly trusted certificate).`
              : "Set sslmode=verify-full and sslrootcert=<your CA file>.",
        },
      );
      return;
    }
    if (!s.explicit || param === undefined || mode === "verify-full") return;
    const root = conninfo.rootFile;
    const chainNote =
      (mode === "prefer" || mode === "allow") && root?.exists
        ? ` A root CA file is present (${root.path}), so the chain is checked when SSL is used, but a failed check silently falls back to plaintext.`
        : "";
    report(
      "sslmode.weak",
      "sslmode",
      `${WEAK_MODE_TEXT[mode]} (sslmode=${mode}, ${describeSource(param)}).${chainNote}`,
      {
        hint:
          mode === "verify-ca"
            ? "Use sslmode=verify-full so that the host name is checked against the certificate too."
            : "Use sslmode=verify-full with sslrootcert=<the CA that signed the server certificate>.",
        evidence: { sslmode: mode, source: param.source },
      },
    );
  },
});
