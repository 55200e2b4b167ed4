// PEM blocks of one label, found in linear time. The regex `-----BEGIN X-----[\s\S]+?-----END X-----` (global)
// scans lazily to the end of the text for every BEGIN line without an END: a bundle of many unterminated blocks
// costs quadratic time. The same matches, found with one indexOf per boundary: once no END is left, no later
// BEGIN can match either.

/** Every `-----BEGIN label-----...-----END label-----` block, as the lazy global regex would return them. */
export function pemBlocksOf(text: string, label: string): string[] {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const out: string[] = [];
  for (let at = text.indexOf(begin); at >= 0; ) {
    // `[\s\S]+?` needs at least one character between the lines.
    const close = text.indexOf(end, at + begin.length + 1);
    if (close < 0) break;
    const stop = close + end.length;
    out.push(text.slice(at, stop));
    at = text.indexOf(begin, stop);
  }
  return out;
}
