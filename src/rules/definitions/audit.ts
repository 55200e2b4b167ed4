import type { CodeSpec } from "../rule.js";

/** Findings of `dbdoctor audit` about the scanned files themselves (the connection-string rules come from the other families). */
export const AUDIT_FINDINGS = {
  "audit.unparseable-file": {
    severity: "warning",
    title: "Configuration file could not be parsed",
    description:
      "A YAML or .env file in the scanned tree has a syntax error, so the audit could not read the settings in it (and the tool that loads it, docker compose, kubectl, helm or python-dotenv, would fail or skip it too).",
    hint: "Fix the syntax at the line shown (yamllint or `docker compose config` name the problem), then run the audit again.",
  },
  "audit.unreadable-file": {
    severity: "warning",
    title: "File could not be read",
    description:
      "A file in the scanned tree could not be read (permission denied, or not valid UTF-8 where the loader requires it), so its settings were not audited.",
    hint: "Make the file readable by the user running the audit, or exclude it with --exclude if it holds no configuration.",
  },
  "audit.secret-in-plain-config": {
    severity: "warning",
    title: "Database password stored in plain configuration",
    description:
      "A connection string with a literal password sits in a file that is part of the scanned tree (not ignored by .gitignore): a .env file, a docker-compose file, a ConfigMap, Helm values or a log. Anyone who can read the repository or the cluster's ConfigMaps can read the password.",
    hint: "Move the password out of the file: a Kubernetes Secret managed outside the repository (External Secrets, Sealed Secrets, SOPS), a Docker secret, or a password file (passfile) readable only by the application; keep the URL without the password.",
  },
  "audit.base64-secret": {
    severity: "warning",
    title: "Kubernetes Secret manifest with the password in base64",
    description:
      "A Secret's data holds a connection string whose password is only base64-encoded. base64 is an encoding, not encryption: whoever reads the manifest in the repository reads the password.",
    hint: "Do not commit Secret manifests with real data: generate the Secret at deploy time (External Secrets, Sealed Secrets, SOPS-encrypted files) and keep only a reference in the repository.",
  },
  "audit.root-default": {
    severity: "info",
    title: "Server verification relies on the application's default root file",
    description:
      "The setting asks libpq to verify the server (verify-ca or verify-full) but names no sslrootcert, so libpq reads ~/.postgresql/root.crt in the home directory of the user the application runs as. The audit cannot see that machine's home directory; if the file is missing there, every connection fails.",
    hint: "Name the CA file explicitly with sslrootcert=/path/to/ca.crt (or sslrootcert=system for a publicly trusted server certificate, libpq 16+).",
  },
} satisfies Record<string, CodeSpec>;
