import { describe, expect, it } from "vitest";
import { attemptOrder, fallsBack, verifiesChain } from "../../../src/modes/plan.js";

describe("libpq's attempt plan per sslmode", () => {
  it("orders channels as libpq does: allow tries plaintext first, prefer SSL first", () => {
    expect(attemptOrder("disable")).toEqual(["plain"]);
    expect(attemptOrder("allow")).toEqual(["plain", "ssl"]);
    expect(attemptOrder("prefer")).toEqual(["ssl", "plain"]);
    for (const m of ["require", "verify-ca", "verify-full"] as const) expect(attemptOrder(m)).toEqual(["ssl"]);
  });

  it("prefer falls back to plaintext after any SSL failure except an 'E' reply", () => {
    for (const end of ["config", "ssl-refused", "tls", "server-error"] as const) {
      expect(fallsBack("prefer", "ssl", end)).toBe(true);
    }
    expect(fallsBack("prefer", "ssl", "ssl-error")).toBe(false);
    expect(fallsBack("prefer", "ssl", "network")).toBe(false);
    expect(fallsBack("prefer", "ssl", "client-auth")).toBe(false);
    // TLS 1.3: the server rejects the client certificate after the client's Finished; libpq does not fall back.
    expect(fallsBack("prefer", "ssl", "tls-after-handshake")).toBe(false);
  });

  it("allow retries with SSL only when the server rejected the plaintext session", () => {
    expect(fallsBack("allow", "plain", "server-error")).toBe(true);
    expect(fallsBack("allow", "plain", "network")).toBe(false);
    expect(fallsBack("allow", "ssl", "tls")).toBe(false);
  });

  it("require and the verify modes never fall back", () => {
    for (const m of ["require", "verify-ca", "verify-full"] as const) expect(fallsBack(m, "ssl", "tls")).toBe(false);
  });

  it("verifies the chain under every mode once a root file is present (libpq.md §1.2)", () => {
    expect(verifiesChain("prefer", true)).toBe(true);
    expect(verifiesChain("require", false)).toBe(false);
    expect(verifiesChain("verify-ca", false)).toBe(true);
  });
});
