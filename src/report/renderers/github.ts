import { UsageError } from "../../errors.js";
import type { Renderer } from "./types.js";

export const renderGithub: Renderer = () => {
  throw new UsageError("--format github is not built yet", "Use --format text or --format json.");
};
