import { UsageError } from "../../errors.js";
import type { Renderer } from "./types.js";

export const renderMarkdown: Renderer = () => {
  throw new UsageError("--format markdown is not built yet", "Use --format text or --format json.");
};
