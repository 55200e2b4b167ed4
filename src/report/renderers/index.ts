// The output formats: one renderer module each, loaded on demand so that a JSON run never pays for chalk, and the
// reverse. A new format is its module plus one line here; --format, the planner and the tests take it from FORMATS.
import type { Renderer } from "./types.js";

const LOADERS = {
  text: async () => (await import("./text.js")).renderText,
  json: async () => (await import("./json.js")).renderJson,
  markdown: async () => (await import("./markdown.js")).renderMarkdown,
  junit: async () => (await import("./junit.js")).renderJunit,
  github: async () => (await import("./github.js")).renderGithub,
  sarif: async () => (await import("./sarif.js")).renderSarif,
} as const satisfies Record<string, () => Promise<Renderer>>;

export type Format = keyof typeof LOADERS;

/** Every output format, for every command. */
export const FORMATS = Object.keys(LOADERS) as readonly Format[];

export function loadRenderer(format: Format): Promise<Renderer> {
  return LOADERS[format]();
}
