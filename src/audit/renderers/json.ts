// The AuditReport as JSON (schemaVersion 1), described by docs/audit.schema.json.
import type { AuditRenderer } from "./index.js";
import { sanitizeAudit } from "./sanitize.js";

export const renderAuditJson: AuditRenderer = (report) => `${JSON.stringify(sanitizeAudit(report), null, 2)}\n`;
