// Usage errors quote what was typed, and what was typed may hold a password: a connection string given where it
// does not belong (`--timeout postgresql://u:pw@h`, a second positional, a command name). Everything dbdoctor
// writes to stderr goes through here: the registered secrets (scrubOutput), then each argument that holds a
// secret by libpq's reading, replaced by its redacted form wherever it, or its secret part, is echoed.
import { redactConninfoString, redactQuotedValues, sensitiveSpans } from "../conninfo/libpq-redact.js";
import { MASK } from "../conninfo/types.js";
import { MIN_SCRUB_LENGTH, scrubOutput } from "../report/redact.js";

export function redactUsage(text: string, argv: readonly string[]): string {
  let out = scrubOutput(text);
  for (const arg of argv) {
    const spans = sensitiveSpans(arg);
    if (spans.length === 0) continue;
    out = out.split(arg).join(redactConninfoString(arg));
    // A quoted piece of it (yargs: `Given: "..."`), however short the password.
    out = redactQuotedValues(out, arg);
    for (const [s, e] of spans) {
      const secret = arg.slice(s, e);
      if (secret.length >= MIN_SCRUB_LENGTH) out = out.split(secret).join(MASK);
    }
  }
  return out;
}
