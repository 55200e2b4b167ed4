// An aligned table for the terminal: every column as wide as its widest cell, the last column wrapped under
// itself. When the terminal is too narrow for that, the last column moves to its own indented line.
import { hanging, padEnd, stringWidth } from "./wrap.js";

export interface TableOptions {
  indent: string;
  width: number | undefined;
  gap?: number;
  /** The narrowest the last column may get before it moves to its own line (default 24). */
  minLast?: number;
}

const MIN_LAST_COLUMN = 24;

export function renderTable(header: string[] | null, rows: string[][], opts: TableOptions): string[] {
  const gap = " ".repeat(opts.gap ?? 2);
  const all = header ? [header, ...rows] : rows;
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns - 1 }, (_, c) => Math.max(0, ...all.map((r) => stringWidth(r[c] ?? ""))));
  const lead = stringWidth(opts.indent) + widths.reduce((a, w) => a + w + gap.length, 0);
  const lastFits = opts.width === undefined || opts.width - lead >= (opts.minLast ?? MIN_LAST_COLUMN);
  const out: string[] = [];
  for (const [i, row] of all.entries()) {
    const head = opts.indent + widths.map((w, c) => padEnd(row[c] ?? "", w) + gap).join("");
    const last = row[columns - 1] ?? "";
    if (lastFits) {
      out.push(...hanging(head, last, opts.width).map((l) => l.trimEnd()));
    } else {
      out.push(head.trimEnd());
      // A header's last cell on a line of its own would read as a row; the column speaks for itself.
      if (last && !(header && i === 0)) out.push(...hanging(`${opts.indent}    `, last, opts.width));
    }
  }
  return out;
}
