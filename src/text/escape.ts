// Escaping for a terminal: text from outside dbdoctor (a server's message, a value from a file, a name on a
// certificate, a command-line argument echoed in an error) must not move the cursor, retitle the window, clear
// the screen or forge a line of output. Standalone on purpose: every human format can use it.

/**
 * C0 controls (ESC, BEL, CR, ...), DEL, C1 controls (U+0080–U+009F, which include the 8-bit CSI U+009B), and the
 * bidirectional overrides and isolates that reorder what a line shows (U+202A–U+202E, U+2066–U+2069).
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\u001b": "\\e" };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * Every unsafe character written as a visible escape (`\e`, `\x07`, `\u202e`). With `newlines: "keep"`, line feeds
 * and tabs pass (for texts dbdoctor lays out itself); by default they are escaped too, so one value stays one line.
 */
export function escapeControl(text: string, opts: { newlines?: "keep" | "escape" } = {}): string {
  const re = opts.newlines === "keep" ? UNSAFE : UNSAFE_OR_NEWLINE;
  re.lastIndex = 0;
  return re.test(text) ? text.replace(re, escapeOne) : text;
}
