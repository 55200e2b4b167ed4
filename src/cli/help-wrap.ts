// The wrap yargs' help layout (cliui) uses in the built CLI (scripts/build.mjs hands it to cliui): lines break at
// spaces only. cliui's own ESM wrap cuts every N characters ("dat/abase"); wrap-ansi would do, but loading it
// with string-width and ansi-styles costs every command's start-up, and help text is plain ASCII without colour.

/** Columns a help string takes: one per code point (cliui's ESM measure; help holds no wide or combining text). */
export function textWidth(text: string): number {
  return [...text].length;
}

/** One line broken at spaces into lines of at most `width` columns; a word wider than that stands alone, whole. */
function wrapLine(line: string, width: number): string[] {
  if (textWidth(line) <= width) return [line];
  const lines: string[] = [];
  let current = "";
  // Keep the spaces between words as written ("0  nothing"), drop them where the line breaks.
  for (const [, gap, word] of line.matchAll(/( *)([^ ]+)/g)) {
    const candidate = current === "" && lines.length > 0 ? (word as string) : `${current}${gap}${word}`;
    if (current !== "" && textWidth(candidate) > width) {
      lines.push(current);
      current = word as string;
    } else {
      current = candidate;
    }
  }
  lines.push(current);
  return lines;
}

/** Text wrapped to `width` columns at spaces, never inside a word; existing line breaks stay. */
export function wrapWords(text: string, width: number): string {
  if (!(width > 0)) return text;
  return text
    .split("\n")
    .flatMap((line) => wrapLine(line.trimEnd(), width))
    .join("\n");
}
