// A database password written into a file of the scanned tree: whoever reads the repository (or the cluster's
// ConfigMaps) reads the password. A Secret's base64 data is no better: base64 is an encoding. A value that only looks
// like a stand-in (changeme, __PASSWORD__, the user name repeated), an example file, or a password for a throwaway
// or local database is reported for the review, not as a leak.
import type { SourceKind } from "../../audit/types.js";
import { defineRule } from "../rule.js";
import { credentialsOnly, review, settingWhere } from "./review.js";

/** Where the value sits, in the words of the message. */
const PLAIN_SOURCE_TEXT: Record<SourceKind, string> = {
  dotenv: "a .env file",
  compose: "a docker-compose file",
  "kubernetes-env": "a Kubernetes manifest's container env",
  "kubernetes-configmap": "a ConfigMap",
  "kubernetes-secret": "a Secret's stringData (plain text in the manifest)",
  "helm-values": "Helm values",
  yaml: "a YAML file",
  json: "a JSON file",
  text: "a plain-text file",
};

export default defineRule({
  id: "audit/stored-secret",
  family: "audit",
  codes: {
    "audit.secret-in-plain-config": {
      severity: "error",
      title: "Database password stored in plain configuration",
      description:
        "A literal database password sits in a file of the scanned tree: a connection string, a password key of a values file, a PGPASSWORD or DB_PASSWORD variable in a .env file, a docker-compose file, a ConfigMap, Helm values or a script. Anyone who can read the repository or the cluster's ConfigMaps can read it. A value that looks like a stand-in (changeme, __PASSWORD__, the user name repeated), one in an example file, or one for a local, CI or unused database is reported as info.",
      hint: "Move the password out of the file: a Kubernetes Secret managed outside the repository (External Secrets, Sealed Secrets, SOPS), a Docker secret, or a password file (passfile) readable only by the application; keep the URL without the password.",
      supersedes: ["url.password-present"],
      reportedAs: ["warning", "info"],
    },
    "audit.base64-secret": {
      severity: "error",
      title: "Kubernetes Secret manifest with the password in base64",
      description:
        "A Secret's data holds a connection string whose password is only base64-encoded. base64 is an encoding, not encryption: whoever reads the manifest in the repository reads the password.",
      hint: "Do not commit Secret manifests with real data: generate the Secret at deploy time (External Secrets, Sealed Secrets, SOPS-encrypted files) and keep only a reference in the repository.",
      supersedes: ["url.password-present"],
      reportedAs: ["warning", "info"],
    },
  },
  check({ audit }, { report }) {
    const s = audit?.setting;
    if (!s || s.secrets.length === 0) return;
    const where = settingWhere(s);
    const fields = s.secrets.map((x) => x.field);
    const what = fields.join(" and ");
    const dummies = s.secrets.filter((x) => x.dummy !== null);
    const allDummy = dummies.length === s.secrets.length;
    const r = allDummy
      ? { severity: "info" as const, why: `it looks like a placeholder (${dummies.map((d) => d.dummy).join("; ")})` }
      : review(s, "error", !credentialsOnly(s));
    const because = r.why ? ` Reported as ${r.severity}: ${r.why}.` : "";
    const first = s.secrets[0];
    const location = first ? first.location : undefined;
    const via = s.secrets.filter((x) => x.via).map((x) => x.via);
    const viaText = via.length > 0 ? ` (${via.join(", ")})` : "";
    const extras = {
      ...(location ? { location } : {}),
      ...(r.severity !== "error" ? { severity: r.severity } : {}),
    };
    if (s.base64 && s.source === "kubernetes-secret")
      report(
        "audit.base64-secret",
        s.variable ?? s.file,
        `${where} is a Secret's base64 data holding a connection string with its ${what}; base64 is readable by anyone who reads the manifest (the value is redacted here).${because}`,
        { ...extras, evidence: { file: s.file, key: s.variable ?? null, fields } },
      );
    else
      report(
        "audit.secret-in-plain-config",
        s.variable ?? s.file,
        `${where} holds a literal ${what}${viaText}, stored in ${PLAIN_SOURCE_TEXT[s.source]} (the value is redacted here).${because}`,
        { ...extras, evidence: { file: s.file, source: s.source, fields } },
      );
  },
});
