import type { AnyReport } from "../kinds.js";

export interface RenderOptions {
  color: boolean;
  verbose: boolean;
  /** Terminal width for wrapping text; undefined means do not wrap. */
  width?: number;
}

/** ESLint's formatter shape: a plain function from report (of either kind) to string. */
export type Renderer = (report: AnyReport, options: RenderOptions) => string;

/** The same for a renderer built on a library that serializes asynchronously (openmetrics: prom-client). */
export type AsyncRenderer = (report: AnyReport, options: RenderOptions) => Promise<string>;
