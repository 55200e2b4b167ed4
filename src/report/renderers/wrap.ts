// Wrapping to the terminal width with a hanging indent. wrap-ansi and string-width measure what the terminal
// shows (colour codes take no room, ✓ and CJK are counted right), which a hand-rolled split would not.
import stringWidth from "string-width";
import wrapAnsi from "wrap-ansi";

/** Below this many columns for the text itself, wrapping does more harm than good. */
const MIN_TEXT_WIDTH = 24;

export { stringWidth };

/**
 * `prefix` + `text`, wrapped to `width` (undefined: no wrapping). Continuation lines are indented by the
 * visible width of `prefix`, so a message or hint reads as one block under its label.
 */
export function hanging(prefix: string, text: string, width: number | undefined): string[] {
  const indent = stringWidth(prefix);
  const pad = " ".repeat(indent);
  const lines =
    width === undefined || width - indent < MIN_TEXT_WIDTH
      ? text.split("\n")
      : wrapAnsi(text, width - indent, { hard: false, trim: true }).split("\n");
  return lines.map((line, i) => (i === 0 ? prefix : pad) + line);
}

export function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - stringWidth(text)));
}
