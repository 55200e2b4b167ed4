import type { Renderer } from "./types.js";

export const renderJson: Renderer = (report) => `${JSON.stringify(report, null, 2)}\n`;
