// A connection string with its password written into a file of the scanned tree: whoever reads the repository (or
// the cluster's ConfigMaps) reads the password. A Secret's base64 data is no better: base64 is an encoding.
import type { SourceKind } from "../../audit/types.js";
import { defineRule } from "../rule.js";

/** Where the value sits, in the words of the message. */
const PLAIN_SOURCE_TEXT: Record<SourceKind, string> = {
  dotenv: "a .env file",
  compose: "a docker-compose file",
  "kubernetes-env": "a Kubernetes manifest's container env",
  "kubernetes-configmap": "a ConfigMap",
  "kubernetes-secret": "a Secret's stringData (plain text in the manifest)",
  "helm-values": "Helm values",
  yaml: "a YAML file",
  text: "a plain-text file",
};

export default defineRule({
  id: "audit/stored-secret",
  family: "audit",
  codes: {
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
  },
  check({ audit }, { report }) {
    const s = audit?.setting;
    if (!s || s.literalSecrets.length === 0) return;
    const where = s.variable ? `${s.variable} in ${s.file}:${s.line}` : `the URL in ${s.file}:${s.line}`;
    const what = s.literalSecrets.join(" and ");
    const fields = [...s.literalSecrets];
    if (s.base64 && s.source === "kubernetes-secret")
      report(
        "audit.base64-secret",
        s.variable ?? s.file,
        `${where} is a Secret's base64 data holding a connection string with its ${what}; base64 is readable by anyone who reads the manifest (the value is redacted here).`,
        { evidence: { file: s.file, key: s.variable ?? null, fields } },
      );
    else
      report(
        "audit.secret-in-plain-config",
        s.variable ?? s.file,
        `${where} holds a connection string with a literal ${what}, stored in ${PLAIN_SOURCE_TEXT[s.source]} (the value is redacted here).`,
        { evidence: { file: s.file, source: s.source, fields } },
      );
  },
});
