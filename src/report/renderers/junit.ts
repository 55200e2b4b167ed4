import { UsageError } from "../../errors.js";
import type { Renderer } from "./types.js";

export const renderJunit: Renderer = () => {
  throw new UsageError("--format junit is not built yet", "Use --format text or --format json.");
};
