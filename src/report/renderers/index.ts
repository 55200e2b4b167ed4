// The output formats: one renderer module each, loaded on demand so that a JSON run never pays for chalk, and the
// reverse. A new format is its module plus one line here; --format, the planner and the tests take it from FORMATS.
import type { AsyncRenderer, Renderer } from "./types.js";

const LOADERS = {
  text: async () => (await import("./text.js")).renderText,
  json: async () => (await import("./json.js")).renderJson,
  markdown: async () => (await import("./markdown.js")).renderMarkdown,
  junit: async () => (await import("./junit.js")).renderJunit,
  github: async () => (await import("./github.js")).renderGithub,
  sarif: async () => (await import("./sarif.js")).renderSarif,
  openmetrics: async () => (await import("./openmetrics.js")).renderOpenMetrics,
} as const satisfies Record<string, () => Promise<Renderer | AsyncRenderer>>;

export type Format = keyof typeof LOADERS;

/** Every output format, for every command. */
export const FORMATS = Object.keys(LOADERS) as readonly Format[];

/** A format's renderer: its own type when the format is known (json is a plain Renderer), else either kind. */
export type RendererOf<F extends Format> = Awaited<ReturnType<(typeof LOADERS)[F]>>;

export function loadRenderer<F extends Format>(format: F): Promise<RendererOf<F>> {
  return LOADERS[format]() as Promise<RendererOf<F>>;
}
