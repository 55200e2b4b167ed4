// Plain text (logs, scripts, docs, JSON, TOML...): every postgres:// URL on any line, with its column.
import { findUrlsInLine } from "../detect.js";
import type { ExtractResult, RawSetting, SourceKind } from "../types.js";

export function extractTextUrls(
  text: string,
  file: string,
  source: SourceKind = "text",
  at: { line: number; column: number } = { line: 1, column: 0 },
  extra: Partial<RawSetting> = {},
): ExtractResult {
  const settings: RawSetting[] = [];
  // Cheap pre-check: most files in a tree hold no URL at all.
  if (!/postgres/i.test(text)) return { settings, problems: [] };
  const lines = text.split(/\r\n|\n|\r/);
  for (const [i, line] of lines.entries()) {
    if (!/postgres/i.test(line)) continue;
    for (const { index, url } of findUrlsInLine(line))
      settings.push({ ...extra, file, line: at.line + i, column: at.column + index + 1, source, value: url });
  }
  return { settings, problems: [] };
}
