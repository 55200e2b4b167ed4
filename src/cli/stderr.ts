// Every line dbdoctor writes to standard error goes through here: usage errors echo what the user typed (a whole
// URL with its password, for `server 'postgresql://u:PW@h/d'`, `--timeout URL`, a stray positional), and internal
// errors carry messages from libraries. The same redaction as the reports (URL and keyword passwords, key
// material, every secret registered so far), then control characters escaped.
import { scrubOutput } from "../report/redact.js";
import { sanitizeString } from "../report/renderers/sanitize.js";
import { escapeControl } from "../text/escape.js";

const MASK = "********";
const TOKEN_END = /[\s'"`<>]/;

/**
 * Before anything is parsed, a URL on the command line may hold a password with `@`, `/` or `?` in it (unencoded,
 * as people write them): everything between the userinfo's first `:` and the token's last `@` is masked. Broader
 * than the reports' rule on purpose: an error message loses nothing by it. Linear: one pass per `://`.
 */
export function maskUrlUserinfo(text: string): string {
  let out = "";
  let copied = 0;
  for (let at = text.indexOf("://"); at >= 0; ) {
    // The token this `://` belongs to ends at the first whitespace or quote; the scan covers the token once, and the
    // next search starts after it (a token of many `://` is not rescanned for each).
    let end = at + 3;
    let lastAt = -1;
    let colon = -1;
    for (; end < text.length && !TOKEN_END.test(text[end] as string); end++) {
      const c = text[end];
      if (c === "@") lastAt = end;
      else if (c === ":" && colon < 0 && lastAt < 0 && text.startsWith("//", end + 1) === false) colon = end;
    }
    if (lastAt > colon + 1 && colon > 0) {
      out += `${text.slice(copied, colon + 1)}${MASK}`;
      copied = lastAt;
    }
    at = text.indexOf("://", end);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function redact(text: string): string {
  return scrubOutput(sanitizeString(maskUrlUserinfo(text)));
}

/** One value that came from outside, made safe for a terminal line. */
export function safeForStderr(text: string): string {
  return escapeControl(redact(text));
}

/** A block dbdoctor laid out itself (several lines): redacted, controls escaped, its own line breaks kept. */
export function safeBlockForStderr(text: string): string {
  return escapeControl(redact(text), { newlines: "keep" });
}

export function writeStderr(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    // a closed standard error has nobody left to tell
  }
}
