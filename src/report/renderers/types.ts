import type { Report } from "../report.js";

export const FORMATS = ["text", "json", "markdown", "junit", "github"] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  color: boolean;
  verbose: boolean;
  /** Terminal width for wrapping text; undefined means do not wrap. */
  width?: number;
}

/** ESLint's formatter shape: a plain function from report to string. */
export type Renderer = (report: Report, options: RenderOptions) => string;
