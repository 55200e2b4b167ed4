import type { Format, Renderer } from "./types.js";

/** Renderers load on demand so that a JSON run never pays for chalk, and the reverse. */
const LOADERS: Record<Format, () => Promise<Renderer>> = {
  text: async () => (await import("./text.js")).renderText,
  json: async () => (await import("./json.js")).renderJson,
  markdown: async () => (await import("./markdown.js")).renderMarkdown,
  junit: async () => (await import("./junit.js")).renderJunit,
  github: async () => (await import("./github.js")).renderGithub,
  sarif: async () => (await import("./sarif.js")).renderSarif,
};

export function loadRenderer(format: Format): Promise<Renderer> {
  return LOADERS[format]();
}
