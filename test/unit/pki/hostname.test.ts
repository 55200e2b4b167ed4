// libpq's verify-full host-name rule, checked against the expectations of PostgreSQL's own ssl tests
// (src/test/ssl/t/001_ssltests.pl), with certificates generated to the same shapes as theirs.
import { beforeAll, describe, expect, it } from "vitest";
import { makeCertificate, type San } from "../../../scripts/gen-certs.js";
import { inetAton, inetPton6, ipToText, matchHostname, wildcardMatch } from "../../../src/pki/hostname.js";

const SHAPES: Record<string, { cn: string; sans?: San[] }> = {
  "server-cn-only": { cn: "common-name.pg-ssltest.test" },
  "server-ip-cn-only": { cn: "192.0.2.1" },
  "server-ip-in-dnsname": { cn: "", sans: [{ dns: "192.0.2.1" }] },
  "server-multiple-alt-names": {
    cn: "",
    sans: [
      { dns: "dns1.alt-name.pg-ssltest.test" },
      { dns: "dns2.alt-name.pg-ssltest.test" },
      { dns: "*.wildcard.pg-ssltest.test" },
    ],
  },
  "server-single-alt-name": { cn: "", sans: [{ dns: "single.alt-name.pg-ssltest.test" }] },
  "server-ip-alt-names": { cn: "", sans: [{ ip: "192.0.2.1" }, { ip: "2001:DB8::1" }] },
  "server-cn-and-alt-names": {
    cn: "common-name.pg-ssltest.test",
    sans: [{ dns: "dns1.alt-name.pg-ssltest.test" }, { dns: "dns2.alt-name.pg-ssltest.test" }],
  },
  "server-cn-and-ip-alt-names": {
    cn: "common-name.pg-ssltest.test",
    sans: [{ ip: "192.0.2.1" }, { ip: "2001:db8::1" }],
  },
  "server-ip-cn-and-alt-names": { cn: "192.0.2.1", sans: [{ ip: "192.0.2.2" }, { ip: "2001:db8::1" }] },
  "server-ip-cn-and-dns-alt-names": {
    cn: "192.0.2.1",
    sans: [{ dns: "dns1.alt-name.pg-ssltest.test" }, { dns: "dns2.alt-name.pg-ssltest.test" }],
  },
  "server-no-names": { cn: "" },
};

/** [certificate, host, expected: true for a match or libpq's exact failure message]; libpq 15. */
const CASES: [string, string, true | string][] = [
  ["server-cn-only", "common-name.pg-ssltest.test", true],
  [
    "server-cn-only",
    "wronghost.test",
    'server certificate for "common-name.pg-ssltest.test" does not match host name "wronghost.test"',
  ],
  ["server-ip-cn-only", "192.0.2.1", true],
  [
    "server-ip-cn-only",
    "192.000.002.001",
    'server certificate for "192.0.2.1" does not match host name "192.000.002.001"',
  ],
  ["server-ip-in-dnsname", "192.0.2.1", true],
  ["server-multiple-alt-names", "dns1.alt-name.pg-ssltest.test", true],
  ["server-multiple-alt-names", "dns2.alt-name.pg-ssltest.test", true],
  ["server-multiple-alt-names", "foo.wildcard.pg-ssltest.test", true],
  [
    "server-multiple-alt-names",
    "wronghost.alt-name.pg-ssltest.test",
    'server certificate for "dns1.alt-name.pg-ssltest.test" (and 2 other names) does not match host name "wronghost.alt-name.pg-ssltest.test"',
  ],
  [
    "server-multiple-alt-names",
    "deep.subdomain.wildcard.pg-ssltest.test",
    'server certificate for "dns1.alt-name.pg-ssltest.test" (and 2 other names) does not match host name "deep.subdomain.wildcard.pg-ssltest.test"',
  ],
  ["server-single-alt-name", "single.alt-name.pg-ssltest.test", true],
  [
    "server-single-alt-name",
    "wronghost.alt-name.pg-ssltest.test",
    'server certificate for "single.alt-name.pg-ssltest.test" does not match host name "wronghost.alt-name.pg-ssltest.test"',
  ],
  [
    "server-single-alt-name",
    "deep.subdomain.wildcard.pg-ssltest.test",
    'server certificate for "single.alt-name.pg-ssltest.test" does not match host name "deep.subdomain.wildcard.pg-ssltest.test"',
  ],
  ["server-ip-alt-names", "192.0.2.1", true],
  ["server-ip-alt-names", "192.000.002.001", true],
  [
    "server-ip-alt-names",
    "192.0.2.2",
    'server certificate for "192.0.2.1" (and 1 other name) does not match host name "192.0.2.2"',
  ],
  ["server-ip-alt-names", "2001:DB8::1", true],
  ["server-ip-alt-names", "2001:db8:0:0:0:0:0:1", true],
  ["server-ip-alt-names", "2001:db8::0.0.0.1", true],
  [
    "server-ip-alt-names",
    "::1",
    'server certificate for "192.0.2.1" (and 1 other name) does not match host name "::1"',
  ],
  [
    "server-ip-alt-names",
    "2001:DB8::1/128",
    'server certificate for "192.0.2.1" (and 1 other name) does not match host name "2001:DB8::1/128"',
  ],
  ["server-cn-and-alt-names", "dns1.alt-name.pg-ssltest.test", true],
  ["server-cn-and-alt-names", "dns2.alt-name.pg-ssltest.test", true],
  [
    "server-cn-and-alt-names",
    "common-name.pg-ssltest.test",
    'server certificate for "dns1.alt-name.pg-ssltest.test" (and 1 other name) does not match host name "common-name.pg-ssltest.test"',
  ],
  ["server-cn-and-ip-alt-names", "common-name.pg-ssltest.test", true],
  ["server-cn-and-ip-alt-names", "192.0.2.1", true],
  ["server-cn-and-ip-alt-names", "2001:db8::1", true],
  ["server-ip-cn-and-alt-names", "192.0.2.2", true],
  ["server-ip-cn-and-alt-names", "2001:db8::1", true],
  [
    "server-ip-cn-and-alt-names",
    "192.0.2.1",
    'server certificate for "192.0.2.2" (and 1 other name) does not match host name "192.0.2.1"',
  ],
  ["server-ip-cn-and-dns-alt-names", "192.0.2.1", true],
  ["server-ip-cn-and-dns-alt-names", "dns1.alt-name.pg-ssltest.test", true],
  ["server-ip-cn-and-dns-alt-names", "dns2.alt-name.pg-ssltest.test", true],
  ["server-no-names", "common-name.pg-ssltest.test", "could not get server's host name from server certificate"],
];

const certs = new Map<string, Buffer>();

beforeAll(async () => {
  for (const [name, shape] of Object.entries(SHAPES)) certs.set(name, (await makeCertificate(shape)).der);
}, 60_000);

describe("matchHostname follows PostgreSQL's ssl test expectations (libpq 15)", () => {
  for (const [cert, host, expected] of CASES) {
    it(`${cert} / ${host}`, () => {
      const r = matchHostname(certs.get(cert) as Buffer, host, 15);
      if (expected === true) expect(r.ok, JSON.stringify(r)).toBe(true);
      else expect(r).toEqual({ ok: false, message: expected });
    });
  }
});

describe("version and edge rules", () => {
  it("libpq 14 ignores iPAddress SANs and falls back to the CN", () => {
    expect(matchHostname(certs.get("server-ip-alt-names") as Buffer, "192.0.2.1", 14)).toEqual({
      ok: false,
      message: "could not get server's host name from server certificate",
    });
    expect(matchHostname(certs.get("server-cn-and-ip-alt-names") as Buffer, "192.0.2.1", 14)).toEqual({
      ok: false,
      message: 'server certificate for "common-name.pg-ssltest.test" does not match host name "192.0.2.1"',
    });
    expect(matchHostname(certs.get("server-cn-and-ip-alt-names") as Buffer, "common-name.pg-ssltest.test", 14).ok).toBe(
      true,
    );
  });

  it("an empty host is refused with libpq's message", () => {
    expect(matchHostname(certs.get("server-cn-only") as Buffer, "", 17)).toEqual({
      ok: false,
      message: "host name must be specified for a verified SSL connection",
    });
  });

  it("wildcards: whole leftmost label only, one label, case-insensitive; no trailing-dot folding", () => {
    expect(wildcardMatch("*.example.com", "a.example.com")).toBe(true);
    expect(wildcardMatch("*.example.com", "A.EXAMPLE.COM")).toBe(true);
    expect(wildcardMatch("*.example.com", "a.b.example.com")).toBe(false);
    expect(wildcardMatch("*.example.com", "example.com")).toBe(false);
    expect(wildcardMatch("f*.example.com", "foo.example.com")).toBe(false);
    expect(wildcardMatch("*.com", "foo.com")).toBe(true);
    expect(
      matchHostname(certs.get("server-single-alt-name") as Buffer, "single.alt-name.pg-ssltest.test.", 17).ok,
    ).toBe(false);
  });

  it("inet_aton accepts the legacy IPv4 forms libpq accepts; inet_pton6 is strict", () => {
    expect(inetAton("127.1")?.toString("hex")).toBe("7f000001");
    expect(inetAton("0x7f.0.0.1")?.toString("hex")).toBe("7f000001");
    expect(inetAton("2130706433")?.toString("hex")).toBe("7f000001");
    expect(inetAton("256.0.0.1")).toBeNull();
    expect(inetAton("db.example")).toBeNull();
    expect(inetPton6("2001:db8::1")?.toString("hex")).toBe("20010db8000000000000000000000001");
    expect(inetPton6("2001:DB8::1/128")).toBeNull();
    expect(inetPton6("1::2::3")).toBeNull();
    expect(ipToText(Buffer.from("20010db8000000000000000000000001", "hex"))).toBe("2001:db8::1");
    expect(ipToText(Buffer.from("00000000000000000000000000000001", "hex"))).toBe("::1");
  });
});
