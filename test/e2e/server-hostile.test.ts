// `dbdoctor server` (the built CLI, as a process) against misbehaving servers on 127.0.0.1 and a good TLS
// endpoint: clean findings, exit codes, no stack traces, and every run within its timeout.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCerts } from "../../scripts/gen-certs.js";
import { runCliAsync } from "../helpers/cli.js";
import { type HostileKind, startHostile, startTlsServer, type TestServer } from "../helpers/hostile.js";
import { assertValidReport } from "../helpers/schema.js";

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const EXPECTED: Record<HostileKind, string> = {
  silent: "server.no-reply",
  garbage: "server.ssl-invalid-response",
  inject: "server.unencrypted-data-after-ssl-response",
  close: "server.closed-during-ssl-request",
  N: "server.ssl-not-supported",
  E: "server.ssl-error-response",
};

describe("dbdoctor server against hostile servers", () => {
  const ports: Partial<Record<HostileKind, number>> = {};
  beforeAll(async () => {
    for (const kind of Object.keys(EXPECTED) as HostileKind[]) {
      const s = await startHostile(kind);
      servers.push(s);
      ports[kind] = s.port;
    }
  });

  it.each(Object.keys(EXPECTED) as HostileKind[])(
    "%s: a clean finding, exit 1, no stack trace, within --timeout 1s",
    async (kind) => {
      const r = await runCliAsync(["server", `127.0.0.1:${ports[kind]}`, "--timeout", "1s", "--format", "json"]);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe("");
      expect(r.stdout).not.toMatch(/\n\s+at /);
      assertValidReport(r.stdout);
      const report = JSON.parse(r.stdout) as {
        findings: { code: string; severity: string }[];
        verdict: { status: string };
      };
      expect(report.findings.map((f) => f.code)).toContain(EXPECTED[kind]);
      expect(report.verdict.status).toBe("fail");
    },
  );

  it("the text report names libpq's wording", async () => {
    const r = await runCliAsync(["server", `127.0.0.1:${ports.inject}`, "--timeout", "1s"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("received unencrypted data after SSL response");
    const g = await runCliAsync(["server", `127.0.0.1:${ports.garbage}`, "--timeout", "1s"]);
    expect(g.stdout).toContain("received invalid response to SSL negotiation: H");
  });

  it("a refused port and an unresolvable name", async () => {
    const gone = await startHostile("close");
    await gone.close();
    const refused = await runCliAsync(["server", `127.0.0.1:${gone.port}`, "--timeout", "1s", "--format", "json"]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("server.connection-refused");
    const dns = await runCliAsync(["server", "no-such-host.invalid", "--timeout", "1s", "--format", "json"]);
    expect(dns.status).toBe(1);
    expect(dns.stdout).toContain("server.dns-failed");
  });

  it("a bad target is a usage error (exit 2) naming it", async () => {
    const r = await runCliAsync(["server", "db:99999"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('port "99999" in "db:99999" is not a TCP port');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("dbdoctor server against a good TLS endpoint", () => {
  let port = 0;
  let root = "";
  beforeAll(async () => {
    const m = await ensureCerts();
    root = `${m.dir}/root-ca.crt`;
    const s = await startTlsServer({
      cert: readFileSync(`${m.dir}/server-good.crt`),
      key: readFileSync(`${m.dir}/server-good.key`),
      alpn: ["postgresql"],
      direct: true,
    });
    servers.push(s);
    port = s.port;
  });

  it("passes with the root given, and shows protocol, chain, name, versions and direct SSL", async () => {
    const r = await runCliAsync(["server", `localhost:${port}`, "--sslrootcert", root]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/TLS\s+TLSv1\.3 TLS_AES_256_GCM_SHA384, SNI localhost/);
    expect(r.stdout).toMatch(/chain\s+verifies against .*root-ca\.crt/);
    expect(r.stdout).toMatch(/host name\s+localhost matches localhost/);
    expect(r.stdout).toMatch(/versions\s+TLSv1 refused, TLSv1\.1 refused, TLSv1\.2 accepted, TLSv1\.3 accepted/);
    expect(r.stdout).toMatch(/direct SSL\s+supported \(ALPN postgresql\)/);
  });

  it("without a root it says it cannot judge the chain (info, exit 0); a wrong --servername fails the name", async () => {
    const r = await runCliAsync(["server", `127.0.0.1:${port}`, "--format", "json"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("server.cert-no-root");
    const w = await runCliAsync(["server", `127.0.0.1:${port}`, "--servername", "db.example.com", "--format", "json"]);
    expect(w.status).toBe(1);
    const report = JSON.parse(w.stdout) as { findings: { code: string; message: string }[] };
    const f = report.findings.find((x) => x.code === "tls.hostname-mismatch");
    expect(f?.message).toContain('does not match host name "db.example.com"');
  });
});
