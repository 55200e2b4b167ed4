import type { DefinitionTable } from "../definition.js";

/** Findings about the sslmode matrix of live attempts (one real session attempt per sslmode). */
export const MODES_FINDINGS = {
  "session.configured-mode-fails": {
    severity: "error",
    title: "The configured sslmode cannot establish a session",
    description:
      "libpq, with exactly these settings, would fail to connect: the application (SkillFlaw, psql, psycopg) cannot reach its database. The message is libpq's, the hint says what to change.",
    hint: "Apply the fix in the message; the sslmode matrix shows which modes do work.",
  },
  "session.configured-mode-undecided": {
    severity: "warning",
    title: "Whether the configured sslmode works could not be decided",
    description:
      "The attempt under the configured sslmode ended before a verdict (the password was withheld by --auth-probe, or GSSAPI was required). A check that could not run is not a pass.",
    hint: "Run again with --auth-probe safe (the default) or all, in a lab, to let dbdoctor authenticate.",
  },
  "session.stronger-mode-works": {
    severity: "warning",
    title: "A stronger sslmode would also work",
    description:
      "The configured sslmode works, but a mode that protects more (verify-full checks both the CA and the host name) also establishes a session with the same settings. Nothing stops you from using it.",
    hint: "Switch to the strongest mode that works, normally sslmode=verify-full.",
  },
  "session.unencrypted": {
    severity: "warning",
    title: "The configured sslmode ends up unencrypted",
    description:
      "Under allow or prefer libpq silently settles for a plaintext session when SSL does not work (or, for allow, when plaintext is accepted first). The application's traffic, password exchange included, crosses the network in the clear.",
    hint: "Fix the SSL problem shown for the stronger modes and set sslmode=verify-full.",
  },
  "session.plaintext-accepted": {
    severity: "warning",
    title: "The server accepts unencrypted sessions",
    description:
      "A session with sslmode=disable succeeds, so pg_hba.conf allows plaintext connections for this user and database. A client that is misconfigured, or an attacker in the middle who strips SSL from prefer, gets a working unencrypted session.",
    hint: "Use hostssl (not host) lines in pg_hba.conf for remote clients, and hostnossl ... reject above them if needed.",
  },
  "session.credentials-withheld": {
    severity: "info",
    title: "The password was not sent for some sslmodes",
    description:
      "Under --auth-probe safe dbdoctor sends the password only under the configured sslmode or over a channel whose certificate it has verified. Other modes stop at the server's password request, which already tells that pg_hba.conf accepts that kind of connection. Use --auth-probe all only against servers you own, such as a lab.",
  },
} satisfies DefinitionTable;
