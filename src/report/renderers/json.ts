// The JSON contract (DESIGN.md, schemaVersion 1): the report itself, sanitized. docs/report.schema.json describes
// the single-setting report, docs/audit.schema.json the audit's.
import { sanitizeReport } from "./sanitize.js";
import type { Renderer } from "./types.js";

export const renderJson: Renderer = (report) => `${JSON.stringify(sanitizeReport(report), null, 2)}\n`;
