// A corrected connection string for a fix: the input as the report shows it (secrets already masked), with one
// change written the way the input is written (keyword/value or URL). Used for the verdict's paste-able fix.

/** `host=NAME hostaddr=ADDRESS` in a keyword/value string, or NAME as the URL's host with `hostaddr` in its query. */
export function withHostAndAddress(redacted: string, name: string, address: string): string {
  const scheme = redacted.indexOf("://");
  if (scheme < 0) {
    let out = redacted.replace(/(^|\s)hostaddr\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/, "");
    out = /(^|\s)host\s*=/.test(out)
      ? out.replace(/(^|\s)host\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/, `$1host=${name} hostaddr=${address}`)
      : `${out.trimEnd()} host=${name} hostaddr=${address}`;
    return out.replace(/\s{2,}/g, " ").trim();
  }
  const start = scheme + 3;
  const rest = redacted.slice(start);
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const tail = end < 0 ? "" : rest.slice(end);
  const at = authority.lastIndexOf("@");
  const userinfo = at < 0 ? "" : authority.slice(0, at + 1);
  const hostPort = authority.slice(at + 1);
  const port = /:(\d+)$/.exec(hostPort)?.[0] ?? "";
  const withoutAddr = tail.replace(/([?&])hostaddr=[^&#]*(&|$)/, (_m, sep: string, next: string) =>
    next === "&" ? sep : "",
  );
  const query = withoutAddr.includes("?")
    ? `${withoutAddr}&hostaddr=${address}`
    : `${withoutAddr || "/"}?hostaddr=${address}`;
  return `${redacted.slice(0, start)}${userinfo}${name}${port}${query}`;
}
