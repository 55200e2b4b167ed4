// Texts that come from outside (a server's ErrorResponse, an OpenSSL or socket message) are capped before they
// enter a report: a hostile server's 10 MB error must not become 40 MB of output, nor cost quadratic time in
// the rules and renderers that look at it. The cut is marked, so nobody mistakes it for the whole text.

/** Server texts: more than any real PostgreSQL message (its own limit on a message field is far below). */
export const SERVER_TEXT_CAP = 4096;

/** `text` itself when it is at most `max` characters, else its head with a marker that says how much was cut. */
export function capText(text: string, max: number = SERVER_TEXT_CAP): string {
  if (text.length <= max) return text;
  let end = max;
  // Never split a surrogate pair: a lone half is not text.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}… [cut: ${text.length - end} more characters]`;
}
