// The server rules are pure: facts in, findings out. Fixtures are facts as the probe records them.
import { describe, expect, it } from "vitest";
import type { CertFacts, EndpointFacts } from "../../../src/probe/types.js";
import {
  chainFailureCode,
  chainLibpqText,
  endpointFindings,
  type ServerRuleContext,
} from "../../../src/rules/server.js";

const NOW = new Date("2026-06-01T00:00:00Z");
const ctx = { now: NOW, sslRequired: true };

const cert = (over: Partial<CertFacts> = {}): CertFacts => ({
  subject: "CN=db.example.com",
  issuer: "CN=Example CA",
  serialNumber: "01",
  notBefore: "2026-01-01T00:00:00.000Z",
  notAfter: "2027-01-01T00:00:00.000Z",
  fingerprint256: "AA",
  selfIssued: false,
  isCa: false,
  keyType: "rsa",
  keyBits: 2048,
  signatureAlgorithm: "sha256WithRSAEncryption",
  ...over,
});

const tlsOk = (chain: CertFacts[]): EndpointFacts["tls"] => ({
  ok: true,
  durationMs: 5,
  sni: "db.example.com",
  alpnOffered: ["postgresql"],
  protocol: "TLSv1.3",
  cipher: "TLS_AES_256_GCM_SHA384",
  alpn: "postgresql",
  chain,
});

const base = (over: Partial<EndpointFacts> = {}): EndpointFacts => ({
  host: "db.example.com",
  port: 5432,
  address: "10.0.0.7",
  dns: { outcome: "ok", durationMs: 1, addresses: [{ address: "10.0.0.7", family: 4 }] },
  tcp: [{ address: "10.0.0.7", family: 4, outcome: "ok", durationMs: 1 }],
  sslRequest: { reply: "S", durationMs: 1, byte: "53", unencryptedBytesAfterS: 0 },
  ...over,
});

const codes = (ep: EndpointFacts, c: ServerRuleContext = ctx) => endpointFindings(ep, c).map((f) => f.code);

describe("server rules", () => {
  it("a healthy endpoint with a verified chain gives no findings", () => {
    const ep = base({
      tls: tlsOk([cert()]),
      chain: { trust: { kind: "file", path: "/ca.crt" }, ok: true, path: ["CN=db.example.com", "CN=Example CA"] },
      hostname: { host: "db.example.com", ok: true, matched: "db.example.com" },
    });
    expect(codes(ep)).toEqual([]);
  });

  it("'N' is a finding only when SSL is required", () => {
    const ep = base({ sslRequest: { reply: "N", durationMs: 1, byte: "4e", unencryptedBytesAfterS: 0 } });
    expect(codes(ep)).toEqual(["server.ssl-not-supported"]);
    expect(codes(ep, { now: NOW, sslRequired: false })).toEqual([]);
  });

  it("only failed addresses of a host where none worked are errors", () => {
    const refused = {
      address: "::1",
      family: 6 as const,
      outcome: "refused" as const,
      durationMs: 0,
      code: "ECONNREFUSED",
    };
    const one = base({ tcp: [refused, { address: "10.0.0.7", family: 4, outcome: "ok", durationMs: 1 }] });
    expect(codes(one)).toEqual(["server.address-failed"]);
    const none = base({ tcp: [refused], address: undefined, sslRequest: undefined });
    const f = endpointFindings(none, ctx);
    expect(f.map((x) => x.code)).toEqual(["server.connection-refused"]);
    expect(f[0]?.message).toContain("[::1]:5432 refused the connection");
  });

  it("dates of the sent certificates decide expiry, root or not", () => {
    const ep = base({
      tls: tlsOk([cert({ notAfter: "2026-05-01T00:00:00.000Z" })]),
      chain: { trust: { kind: "none", reason: "no root certificate given (sslrootcert)" }, ok: null },
    });
    expect(codes(ep)).toEqual(["server.cert-expired", "server.cert-no-root"]);
  });

  it("maps the pure chain check's reasons to codes, without repeating a sent certificate's dates", () => {
    const j = (reason: string, depth?: number) => ({
      trust: { kind: "file" as const, path: "/ca" },
      ok: false,
      reason,
      depth,
    });
    expect(chainFailureCode(j("expired", 0), 1)).toBe("sent-validity");
    expect(chainFailureCode(j("ca-expired", 1), 1)).toBe("server.cert-expired");
    expect(chainFailureCode(j("revoked", 0), 1)).toBe("server.cert-revoked");
    expect(chainFailureCode(j("self-signed", 0), 1)).toBe("server.cert-self-signed");
    expect(chainFailureCode(j("weak-key", 0), 1)).toBe("server.cert-too-weak");
    expect(chainFailureCode(j("unknown-ca", 1), 1)).toBe("server.cert-untrusted");
    expect(chainFailureCode({ ...j("unknown-ca", 0), missingIssuer: "CN=Int" }, 1)).toBe(
      "server.cert-chain-incomplete",
    );
  });

  it("shows libpq's own words for a failed verification and OpenSSL's reason apart", () => {
    expect(chainLibpqText("certificate verify failed: unable to get local issuer certificate")).toBe(
      ' libpq: "SSL error: certificate verify failed" (OpenSSL: unable to get local issuer certificate).',
    );
  });

  it("weak keys and signatures, but not a self-signed root's own signature", () => {
    const ep = base({
      tls: tlsOk([
        cert({ keyBits: 1024 }),
        cert({ subject: "CN=Root", issuer: "CN=Root", selfIssued: true, signatureAlgorithm: "sha1WithRSAEncryption" }),
      ]),
    });
    expect(codes(ep)).toEqual(["tls.weak-key"]);
    const sha1 = base({ tls: tlsOk([cert({ signatureAlgorithm: "sha1WithRSAEncryption" })]) });
    expect(codes(sha1)).toEqual(["tls.weak-signature"]);
  });

  it("versions: old protocols, an unmet range, untestable ones", () => {
    const results = {
      TLSv1: { status: "accepted" as const },
      "TLSv1.1": { status: "untestable" as const, detail: "could not test: client library refuses (x)" },
      "TLSv1.2": { status: "refused" as const },
      "TLSv1.3": { status: "refused" as const },
    };
    const ep = base({
      tls: tlsOk([cert()]),
      versions: { results, client: { min: "TLSv1.2", max: null, source: "default" }, common: [] },
    });
    expect(codes(ep)).toEqual(["tls.old-protocol-accepted", "tls.version-range-unmet", "tls.version-untestable"]);
  });

  it("direct SSL: an error when configured, information otherwise, nothing when undecided", () => {
    const d = (configured: boolean, supported: boolean | null) =>
      codes(base({ tls: tlsOk([cert()]), direct: { configured, supported, durationMs: 1, detail: "x" } }));
    expect(d(true, false)).toEqual(["server.direct-ssl-unsupported"]);
    expect(d(false, false)).toEqual(["server.direct-ssl-unavailable"]);
    expect(d(true, null)).toEqual([]);
    expect(d(true, true)).toEqual([]);
  });

  it("follows the configured sslmode: nothing past the SSLRequest under disable, the name only under verify-full", () => {
    const ep = base({
      tls: tlsOk([cert({ notAfter: "2026-05-01T00:00:00.000Z" })]),
      hostname: { host: "db.example.com", ok: false, message: "no match" },
    });
    expect(codes(ep)).toEqual(["server.cert-expired", "server.cert-hostname-mismatch"]);
    expect(codes(ep, { now: NOW, sslRequired: true, sslmode: "verify-full" })).toEqual([
      "server.cert-expired",
      "server.cert-hostname-mismatch",
    ]);
    expect(codes(ep, { now: NOW, sslRequired: true, sslmode: "verify-ca" })).toEqual(["server.cert-expired"]);
    expect(codes(ep, { now: NOW, sslRequired: false, sslmode: "disable" })).toEqual([]);
  });

  it("a skipped (Unix-socket) endpoint gives nothing", () => {
    expect(codes({ host: "/tmp", port: 5432, skipped: "Unix-domain socket" })).toEqual([]);
  });
});
