// libpq's SNI rule (fe-secure-openssl.c, PG14+): the host name is sent unless it looks like an IP literal.
// libpq's test is textual, not inet_pton: all digits and dots (so "1234" gets no SNI either), or any ':'.

export function looksLikeIpLiteralForSni(host: string): boolean {
  if (host.includes(":")) return true;
  return /^[0-9.]*$/.test(host);
}

/** The server name libpq puts in the ClientHello, or null when it sends none. */
export function libpqSniName(host: string, sslsni: string | undefined): string | null {
  // libpq: `if (conn->sslsni && conn->sslsni[0] == '1')` — anything but a leading '1' disables it.
  if (sslsni !== undefined && !sslsni.startsWith("1")) return null;
  if (host === "" || looksLikeIpLiteralForSni(host)) return null;
  return host;
}
