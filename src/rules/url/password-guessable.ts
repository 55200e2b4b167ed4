// A password anyone would try first: the user name, the database name, or a well-known default. Said without
// printing it: the finding names which of these it equals, never the value. The stage hands over a SHA-256 of the
// lower-cased password (src/conninfo/analyze.ts), so the list of defaults stays here, with the judgment.
import { createHash } from "node:crypto";
import { defineRule } from "../rule.js";
import { inputLocation } from "../where.js";

/**
 * Defaults and first guesses: the superuser's name on Docker images and tutorials, and the words of every
 * "top passwords" list (compared case-insensitively).
 */
export const GUESSABLE_PASSWORDS: readonly string[] = [
  "postgres",
  "postgresql",
  "password",
  "passw0rd",
  "pass",
  "admin",
  "administrator",
  "secret",
  "changeme",
  "change_me",
  "root",
  "toor",
  "test",
  "testing",
  "example",
  "default",
  "letmein",
  "welcome",
  "qwerty",
  "123456",
  "12345678",
  "dbpassword",
  "db_password",
  "pgpassword",
  "skillflaw",
];

const HASHES: ReadonlySet<string> = new Set(
  GUESSABLE_PASSWORDS.map((p) => createHash("sha256").update(p.toLowerCase()).digest("hex")),
);

export default defineRule({
  id: "url/password-guessable",
  family: "url",
  codes: {
    "url.password-guessable": {
      severity: "warning",
      title: "Guessable password",
      description:
        "The password equals the user name, the database name, or a well-known default (postgres, password, admin, secret, changeme, ...): the first thing anyone who reaches the server tries. An error in an audit of a setting for a server that is not local.",
      hint: "Set a long random password for the role (ALTER ROLE ... PASSWORD, or \\password in psql) and update the setting.",
    },
  },
  check({ url, input, command }, { report }) {
    const pw = url?.password;
    if (!pw) return;
    const what = pw.equalsUser
      ? "the user name"
      : pw.equalsDatabase
        ? "the database name"
        : HASHES.has(pw.sha256Lower)
          ? "a well-known default password"
          : null;
    if (what === null) return;
    const remote = url?.localHostsOnly === false;
    report(
      "url.password-guessable",
      "password",
      `The password is ${what}: the first guess of anyone who can reach the server${remote ? "" : " (a local server here)"}.`,
      { ...inputLocation(input?.source), ...(command === "audit" && remote ? { severity: "error" } : {}) },
    );
  },
});
