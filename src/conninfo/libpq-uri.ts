// libpq's URI parser, conninfo_uri_parse_options + conninfo_uri_parse_params (fe-connect.c), step for step:
// the same scan order means the same first error for a malformed string.

import type { LibpqMajor } from "../model/options.js";
import { sensitiveSpans } from "./libpq-redact.js";
import { Failures, ParseError, type ParseOutcome, storeValue } from "./libpq-store.js";
import { type DecodeFailure, uriDecode } from "./percent.js";

const URI_DESIGNATOR = "postgresql://";
const SHORT_URI_DESIGNATOR = "postgres://";

/** uri_prefix_length: case-sensitive, only these two spellings. */
export function uriPrefixLength(s: string): number {
  if (s.startsWith(URI_DESIGNATOR)) return URI_DESIGNATOR.length;
  if (s.startsWith(SHORT_URI_DESIGNATOR)) return SHORT_URI_DESIGNATOR.length;
  return 0;
}

const DECODE_MESSAGES: Record<DecodeFailure, string> = {
  "invalid-token": 'invalid percent-encoded token: "%s"',
  "forbidden-00": 'forbidden value %00 in percent-encoded value: "%s"',
  spaces: 'unexpected spaces found in "%s", use percent-encoded spaces (%20) instead',
};

/** libpq's `%c` prints one byte; for a non-ASCII character that byte alone is not valid UTF-8. */
function cChar(c: string): string {
  return c.charCodeAt(0) < 0x80 ? c : "\uFFFD";
}

export function parseUri(uri: string, major: LibpqMajor, keywords: ReadonlySet<string>): ParseOutcome {
  const failures: Failures = new Failures(uri, sensitiveSpans(uri));
  const params: Record<string, string> = {};
  const whole = { text: uri, start: 0, end: uri.length };
  const n = uri.length;
  const at = (i: number): string => (i < n ? (uri[i] as string) : "");

  const decode = (text: string, start: number, end: number): string => {
    const r = uriDecode(text, major);
    if (!r.ok) failures.fail(DECODE_MESSAGES[r.failure], [{ text, start, end }]);
    return r.value;
  };
  // conninfo_storeval(..., uri_decode=true) for the netloc parts: the keyword always exists, then the value decodes.
  const storeDecoded = (keyword: string, text: string, start: number, end: number): void => {
    storeValue(params, keywords, keyword, decode(text, start, end));
  };

  try {
    const start = uriPrefixLength(uri);
    let p = start;

    // Look ahead for a user-info designator: the first '@' before any '/'.
    let q = start;
    while (q < n && uri[q] !== "@" && uri[q] !== "/") q++;
    if (at(q) === "@") {
      let e = start;
      while (uri[e] !== ":" && uri[e] !== "@") e++;
      if (e > start) storeDecoded("user", uri.slice(start, e), start, e);
      if (uri[e] === ":") {
        const pwStart = e + 1;
        let f = pwStart;
        while (uri[f] !== "@") f++;
        if (f > pwStart) storeDecoded("password", uri.slice(pwStart, f), pwStart, f);
        e = f;
      }
      p = e + 1;
    }

    // netloc[:port] pairs separated by ','; host and port lists are joined, then decoded as a whole.
    const hosts: string[] = [];
    const ports: string[] = [];
    const netlocStart = p;
    let prevchar = "";
    for (;;) {
      let host: string;
      let port = "";
      if (at(p) === "[") {
        const hostStart = ++p;
        while (p < n && uri[p] !== "]") p++;
        if (p >= n)
          failures.fail('end of string reached when looking for matching "]" in IPv6 host address in URI: "%s"', [
            whole,
          ]);
        if (p === hostStart) failures.fail('IPv6 host address may not be empty in URI: "%s"', [whole]);
        host = uri.slice(hostStart, p);
        p++;
        if (p < n && !":/?,".includes(uri[p] as string)) {
          const position = Buffer.byteLength(uri.slice(0, p), "utf8") + 1;
          failures.fail(`unexpected character "%s" at position ${position} in URI (expected ":" or "/"): "%s"`, [
            cChar(uri[p] as string),
            whole,
          ]);
        }
      } else {
        const hostStart = p;
        while (p < n && !":/?,".includes(uri[p] as string)) p++;
        host = uri.slice(hostStart, p);
      }
      prevchar = at(p);
      if (prevchar === ":") {
        const portStart = ++p;
        while (p < n && !"/?,".includes(uri[p] as string)) p++;
        port = uri.slice(portStart, p);
        prevchar = at(p);
      }
      hosts.push(host);
      ports.push(port);
      if (prevchar !== ",") break;
      p++;
    }
    const netlocEnd = p;
    const hostbuf = hosts.join(",");
    const portbuf = ports.join(",");
    if (hostbuf !== "") storeDecoded("host", hostbuf, netlocStart, netlocEnd);
    if (portbuf !== "") storeDecoded("port", portbuf, netlocStart, netlocEnd);

    if (prevchar !== "" && prevchar !== "?") {
      const dbStart = ++p;
      while (p < n && uri[p] !== "?") p++;
      prevchar = at(p);
      // An empty dbname is not stored: it would force the user name instead of $PGDATABASE.
      if (p > dbStart) storeDecoded("dbname", uri.slice(dbStart, p), dbStart, p);
    }

    if (prevchar !== "") parseParams(uri, p + 1, major, keywords, params, failures);
    return { ok: true, params };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, failure: e.failure };
    throw e;
  }
}

function parseParams(
  uri: string,
  from: number,
  major: LibpqMajor,
  keywords: ReadonlySet<string>,
  params: Record<string, string>,
  failures: Failures,
): void {
  const n = uri.length;
  let i = from;
  while (i < n) {
    const kwStart = i;
    let kwEnd = -1;
    let j = i;
    let valueEnd: number;
    for (;;) {
      const c = j < n ? uri[j] : "";
      if (c === "=") {
        if (kwEnd >= 0)
          failures.fail('extra key/value separator "=" in URI query parameter: "%s"', [
            { text: uri.slice(kwStart, kwEnd), start: kwStart, end: kwEnd },
          ]);
        kwEnd = j;
        j++;
      } else if (c === "&" || c === "") {
        valueEnd = j;
        if (c === "&") j++;
        if (kwEnd < 0)
          failures.fail('missing key/value separator "=" in URI query parameter: "%s"', [
            { text: uri.slice(kwStart, valueEnd), start: kwStart, end: valueEnd },
          ]);
        break;
      } else j++;
    }
    const kwArg = { text: uri.slice(kwStart, kwEnd), start: kwStart, end: kwEnd };
    const valArg = { text: uri.slice(kwEnd + 1, valueEnd), start: kwEnd + 1, end: valueEnd };
    const kw = uriDecode(kwArg.text, major);
    if (!kw.ok) failures.fail(DECODE_MESSAGES[kw.failure], [kwArg]);
    const val = uriDecode(valArg.text, major);
    if (!val.ok) failures.fail(DECODE_MESSAGES[val.failure], [valArg]);
    let keyword = kw.value;
    let value = val.value;
    // JDBC compatibility: only the exact, case-sensitive pair ssl=true is rewritten.
    if (keyword === "ssl" && value === "true") {
      keyword = "sslmode";
      value = "require";
    }
    if (!storeValue(params, keywords, keyword, value)) {
      failures.fail('invalid URI query parameter: "%s"', [{ ...kwArg, text: keyword }], {
        ...kwArg,
        text: keyword,
      });
    }
    i = j;
  }
}
