// libpq's keyword/value parser, conninfo_parse (fe-connect.c): C isspace separates, a value may be single-quoted,
// a backslash escapes the next character inside or outside quotes, `kw =  value` is allowed, and a value that is
// empty at the '=' swallows the next word (`host= port=5` sets host to "port=5").
import { sensitiveSpans } from "./libpq-redact.js";
import { Failures, ParseError, type ParseOutcome, storeValue } from "./libpq-store.js";

const isspace = (c: string | undefined): boolean =>
  c === " " || c === "\t" || c === "\n" || c === "\v" || c === "\f" || c === "\r";

export function parseKeywordValue(input: string, keywords: ReadonlySet<string>): ParseOutcome {
  const failures: Failures = new Failures(input, sensitiveSpans(input));
  const params: Record<string, string> = {};
  const n = input.length;
  try {
    let i = 0;
    while (i < n) {
      if (isspace(input[i])) {
        i++;
        continue;
      }
      const nameStart = i;
      let nameEnd = -1;
      while (i < n) {
        if (input[i] === "=") break;
        if (isspace(input[i])) {
          nameEnd = i;
          i++;
          while (i < n && isspace(input[i])) i++;
          break;
        }
        i++;
      }
      if (nameEnd < 0) nameEnd = i;
      const nameArg = { text: input.slice(nameStart, nameEnd), start: nameStart, end: nameEnd };
      if (input[i] !== "=") failures.fail('missing "=" after "%s" in connection info string', [nameArg]);
      i++;
      while (i < n && isspace(input[i])) i++;

      // The value is collected as slices between escapes, not a character at a time: a 1 MB value must not become a
      // million one-character concatenations.
      const parts: string[] = [];
      let seg: number;
      let end: number;
      if (input[i] !== "'") {
        seg = i;
        end = n;
        while (i < n) {
          const c = input[i] as string;
          if (isspace(c)) {
            end = i;
            i++;
            break;
          }
          if (c === "\\") {
            parts.push(input.slice(seg, i));
            i++;
            if (i < n) parts.push(input[i++] as string);
            seg = i;
          } else i++;
        }
        if (end === n) end = Math.min(i, n);
      } else {
        i++;
        seg = i;
        for (;;) {
          if (i >= n) failures.fail("unterminated quoted string in connection info string", []);
          const c = input[i] as string;
          if (c === "\\") {
            parts.push(input.slice(seg, i));
            i++;
            if (i < n) parts.push(input[i++] as string);
            seg = i;
            continue;
          }
          if (c === "'") {
            end = i;
            i++;
            break;
          }
          i++;
        }
      }
      parts.push(input.slice(seg, Math.max(seg, end)));
      const value = parts.join("");
      if (!storeValue(params, keywords, nameArg.text, value))
        failures.fail('invalid connection option "%s"', [nameArg], nameArg);
    }
    return { ok: true, params };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, failure: e.failure };
    throw e;
  }
}
