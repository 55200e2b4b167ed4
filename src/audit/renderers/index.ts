import type { AuditReport } from "../types.js";

export const AUDIT_FORMATS = ["text", "json", "markdown", "junit", "github", "sarif"] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export interface AuditRenderOptions {
  color: boolean;
  verbose: boolean;
  width?: number;
}

export type AuditRenderer = (report: AuditReport, options: AuditRenderOptions) => string;

/** Each format loads only when asked for. */
const LOADERS: Record<AuditFormat, () => Promise<AuditRenderer>> = {
  text: async () => (await import("./text.js")).renderAuditText,
  json: async () => (await import("./json.js")).renderAuditJson,
  markdown: async () => (await import("./markdown.js")).renderAuditMarkdown,
  junit: async () => (await import("./junit.js")).renderAuditJunit,
  github: async () => (await import("./github.js")).renderAuditGithub,
  sarif: async () => (await import("./sarif.js")).renderAuditSarif,
};

export function loadAuditRenderer(format: AuditFormat): Promise<AuditRenderer> {
  return LOADERS[format]();
}
