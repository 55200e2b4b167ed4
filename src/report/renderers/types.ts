import type { AnyReport } from "../kinds.js";

/** Every output format, for every command (src/report/renderers/<format>.ts each). */
export const FORMATS = ["text", "json", "markdown", "junit", "github", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  color: boolean;
  verbose: boolean;
  /** Terminal width for wrapping text; undefined means do not wrap. */
  width?: number;
}

/** ESLint's formatter shape: a plain function from report (of either kind) to string. */
export type Renderer = (report: AnyReport, options: RenderOptions) => string;
