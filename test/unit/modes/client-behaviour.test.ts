import { describe, expect, it } from "vitest";
import { decidingAttempt, triesNextHost, wordAlerts } from "../../../src/modes/client-behaviour.js";
import { clientFor } from "../model/client-fixtures.js";

describe("what the client changes", () => {
  it("words TLS alerts as the client's OpenSSL does (3.2+: ssl/tls alert)", () => {
    expect(wordAlerts("SSL error: sslv3 alert certificate expired", "ssl/tls")).toBe(
      "SSL error: ssl/tls alert certificate expired",
    );
    expect(wordAlerts("SSL error: ssl/tls alert handshake failure", "sslv3")).toBe(
      "SSL error: sslv3 alert handshake failure",
    );
    expect(wordAlerts("SSL error: tlsv1 alert unknown ca", "ssl/tls")).toBe("SSL error: tlsv1 alert unknown ca");
  });
  it("libpq ends at a host that answers N under require; psycopg 3 tries the next host itself", () => {
    expect(triesNextHost(clientFor("psql", {}), "ssl-refused")).toBe(false);
    expect(triesNextHost(clientFor("psycopg2-binary", {}), "ssl-refused")).toBe(false);
    expect(triesNextHost(clientFor("psycopg-binary", {}), "ssl-refused")).toBe(true);
    expect(triesNextHost(clientFor("psql", {}), "network")).toBe(true);
  });
  it("prefer: an SSL failure decides when the plaintext fallback was refused by pg_hba", () => {
    const ssl = { channel: "ssl" as const, end: "tls" as const, cause: "unknown-ca" };
    const plain = { channel: "plain" as const, end: "server-error" as const, cause: "hba-reject" };
    expect(decidingAttempt("prefer", [ssl, plain])).toBe(0);
    expect(decidingAttempt("prefer", [ssl, { ...plain, cause: "wrong-password" }])).toBe(1);
    expect(decidingAttempt("allow", [plain, ssl])).toBe(1);
  });
});
