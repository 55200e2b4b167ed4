// What the stored sslmode lets through, judged for a review: plaintext is possible under disable, allow and prefer
// (and without any sslmode, where libpq, psycopg, pgjdbc and pgx use prefer), which to a host across a network is the
// error a review must stop; require and verify-ca encrypt without checking who answers. A host on the client's own
// machine, a CI service container, an example file or an unused block make it informational (review.ts). These
// replace the sslmode family's generic weak-mode findings for a stored setting.

import { defineRule } from "../rule.js";
import { credentialsOnly, partWhere, review, settingWhere } from "./review.js";

const PLAINTEXT: Readonly<Record<string, string>> = {
  disable: "the client never uses TLS: the password exchange and every query cross the network in clear text",
  allow: "the client tries without TLS first and uses TLS only if the server insists",
  prefer: "the client silently falls back to no TLS whenever TLS fails, and never checks who the server is",
};

const UNVERIFIED: Readonly<Record<string, string>> = {
  require: "the client encrypts but never checks the server's certificate: anyone in the middle can present their own",
  "verify-ca":
    "the client checks the CA but not that the certificate was issued for this host: any server with a certificate from that CA can impersonate it",
};

export default defineRule({
  id: "audit/transport",
  family: "audit",
  codes: {
    "audit.plaintext-allowed": {
      severity: "error",
      title: "Stored setting allows a connection without TLS",
      description:
        "The stored setting's sslmode is disable, allow or prefer, or it sets none (libpq, psycopg, pgjdbc and pgx then use prefer; node-postgres without its ssl switch uses no TLS at all). The password and the data can cross the network unencrypted. An error for a host across a network; info for a host on the client's own machine, a CI service container, an example file or an unused block; a warning when the host is a placeholder.",
      hint: "Set sslmode=verify-full with sslrootcert=<the CA that signed the server certificate> (or sslrootcert=system for a publicly trusted certificate, libpq 16+).",
      supersedes: ["sslmode.weak", "sslmode.default-prefer"],
      reportedAs: ["warning", "info"],
    },
    "audit.server-unverified": {
      severity: "warning",
      title: "Stored setting encrypts without verifying the server",
      description:
        "The stored setting's sslmode is require or verify-ca: the connection is encrypted, but the client does not check that the certificate was issued for the host it connects to (require checks nothing), so a man in the middle is not stopped.",
      hint: "Use sslmode=verify-full with the CA that signed the server certificate.",
      supersedes: ["sslmode.weak"],
      reportedAs: ["info"],
    },
  },
  check({ audit }, { report }) {
    const s = audit?.setting;
    if (!s || credentialsOnly(s)) return;
    if (!s.hosts.some((h) => h.reach !== "socket")) return;
    if (s.placeholders.sslmode !== undefined) return; // unknown: audit/placeholder says so
    const p = s.effective.sslmode;
    const explicit = p !== undefined && p.source !== "default";
    // An unknown application's default is its own (libpq's, psycopg's, pgjdbc's and pgx's is prefer): at most a
    // warning, since it may well be stricter.
    const unknownDefault = !explicit && (s.client === "unknown" || s.client === "node-postgres");
    let mode = (p?.value ?? "prefer").toLowerCase();
    if (!explicit && s.effective.sslrootcert?.value === "system") mode = "verify-full";
    const note = s.notes.sslmode;
    const set = explicit
      ? `sslmode=${mode} (${note ?? (s.parts.sslmode ? partWhere(s, "sslmode") : p?.source === "env" ? `from ${p.detail ?? "PGSSLMODE"}` : "in the connection string")})`
      : unknownDefault
        ? "no sslmode or TLS switch (the application's default applies; libpq, psycopg, pgjdbc and pgx use prefer)"
        : `no sslmode (${note ?? "the client's default is prefer"})`;
    const hosts = s.hosts.filter((h) => h.reach !== "socket").map((h) => h.host);
    const to = `${settingWhere(s)} connects to ${hosts.join(", ")} with ${set}:`;
    const location = s.parts.sslmode
      ? { location: { file: s.file, line: s.parts.sslmode.line, column: s.parts.sslmode.column } }
      : {};
    const plain = PLAINTEXT[mode];
    if (plain !== undefined) {
      const base = review(s, "error");
      const r =
        unknownDefault && base.severity === "error"
          ? { severity: "warning" as const, why: "what this application does without an sslmode is not known" }
          : base;
      report(
        "audit.plaintext-allowed",
        "sslmode",
        `${to} ${plain}.${r.why ? ` Reported as ${r.severity}: ${r.why}.` : ""}`,
        {
          ...location,
          ...(r.severity !== "error" ? { severity: r.severity } : {}),
          evidence: { sslmode: explicit ? mode : null, reach: s.reach, hosts },
        },
      );
      return;
    }
    const weak = UNVERIFIED[mode];
    if (weak === undefined) return;
    const r = review(s, "warning");
    report(
      "audit.server-unverified",
      "sslmode",
      `${to} ${weak}.${r.why ? ` Reported as ${r.severity}: ${r.why}.` : ""}`,
      {
        ...location,
        ...(r.severity !== "warning" ? { severity: r.severity } : {}),
        hint:
          mode === "verify-ca"
            ? "Use sslmode=verify-full so that the host name is checked against the certificate too."
            : "Use sslmode=verify-full with the CA that signed the server certificate.",
        evidence: { sslmode: mode, reach: s.reach, hosts },
      },
    );
  },
});
