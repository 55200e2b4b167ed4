// The JSON contract (DESIGN.md, schemaVersion 1; docs/report.schema.json): the report itself, sanitized.
import { sanitizeReport } from "./sanitize.js";
import type { Renderer } from "./types.js";

export const renderJson: Renderer = (report) => `${JSON.stringify(sanitizeReport(report), null, 2)}\n`;
