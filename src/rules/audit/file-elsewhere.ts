// A certificate, key or CRL path that does not exist on the auditing machine: the audit runs where the repository
// is, not where the setting is used (a container, a server), so the file is checked there. libpq's reaction where it
// is missing is named (verify-ca/verify-full fail before the handshake; a missing client certificate is silently
// left out). Replaces the files family's "missing" findings for a stored setting.
import { defineRule } from "../rule.js";
import { settingWhere } from "./review.js";

const WHEN_MISSING: Readonly<Record<string, string>> = {
  sslrootcert: "under verify-ca/verify-full every connection fails before the handshake if it is missing there",
  sslcert: "libpq connects without a client certificate if it is missing there",
  sslkey: "libpq connects without a client certificate if it is missing there",
  sslcrl: "libpq fails to load it if it is missing there",
  sslcrldir: "libpq finds no CRL if it is missing there",
};

export default defineRule({
  id: "audit/file-elsewhere",
  family: "audit",
  codes: {
    "audit.file-not-here": {
      severity: "info",
      title: "Certificate file not on the auditing machine",
      description:
        "A stored setting names a CA, client certificate, key or CRL file that does not exist on the machine running the audit. The setting is used elsewhere (a container, a server), where the file may well exist: it is checked where the setting is deployed. libpq's reaction if it is missing there is named.",
      hint: "Make sure the file is mounted at that path where the setting is used (dbdoctor check there tells), or audit the tree with the files in place.",
      supersedes: ["tls.root-missing", "sslmode.root-missing", "file.missing", "file.missing-skipped"],
    },
  },
  check({ audit }, { report }) {
    const s = audit?.setting;
    if (!s) return;
    // sslmode=disable never reads them (sslmode.files-ignored says so): where they are does not matter.
    if (s.effective.sslmode?.value.toLowerCase() === "disable") return;
    const missing = s.files.filter((f) => !f.exists);
    if (missing.length === 0) return;
    const list = missing.map(
      (f) => `${f.param}=${f.path} (${WHEN_MISSING[f.param] ?? "checked where it is deployed"})`,
    );
    report(
      "audit.file-not-here",
      missing.map((f) => f.param).join(", "),
      `${settingWhere(s)}: ${list.join("; ")}. Not on this machine, so it is checked where the setting is deployed.`,
      { evidence: { files: missing.map((f) => f.path) } },
    );
  },
});
