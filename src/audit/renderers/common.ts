// Display text shared by the audit renderers.

import { type Severity, worstSeverity } from "../../model/finding.js";
import type { Finding } from "../../rules/registry.js";
import type { AuditSetting } from "../types.js";

export const SOURCE_TEXT: Record<AuditSetting["source"], string> = {
  dotenv: ".env",
  compose: "docker-compose",
  "kubernetes-env": "Kubernetes env",
  "kubernetes-configmap": "ConfigMap",
  "kubernetes-secret": "Secret",
  "helm-values": "Helm values",
  yaml: "YAML",
  text: "text",
};

export function where(s: AuditSetting): string {
  return `${s.location.file}:${s.location.line}:${s.location.column}`;
}

export function settingName(s: AuditSetting): string {
  return s.variable ?? s.path ?? "(URL in text)";
}

/** How the setting was found: `.env`, `Secret (base64)`, `Helm values at db.url`. */
export function settingOrigin(s: AuditSetting): string {
  const parts = [SOURCE_TEXT[s.source]];
  if (s.base64) parts.push("base64-decoded");
  if (s.path && s.path !== s.variable) parts.push(`at ${s.path}`);
  return `${parts.join(", ")}; read as ${s.urlStyle === "sqlalchemy" ? "SQLAlchemy" : "libpq"} ${s.format}`;
}

export function worst(s: AuditSetting): Severity | null {
  return worstSeverity(s.findings);
}

export const SEVERITY_RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => [f, i] as const)
    .sort(([a, i], [b, j]) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || i - j)
    .map(([f]) => f);
}
