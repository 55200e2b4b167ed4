// The wire probe against the lab's real PostgreSQL 17 servers, with real libpq (psql) as the judge of the
// texts the probe predicts: the SSLRequest answer, the TLS version failure, the host-name refusal.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certPath, type Lab, type LabServer, psqlConnect, psqlMajor, startLab } from "../../scripts/lab/index.js";
import type { EffectiveParam } from "../../src/conninfo/types.js";
import type { LibpqMajor } from "../../src/model/options.js";
import { runServerStage } from "../../src/probe/stage.js";
import type { EndpointFacts } from "../../src/probe/types.js";
import { CLIENT_SECURITY_LEVEL } from "../../src/rules/certs/policy.js";
import { judge } from "../../src/rules/registry.js";

const NAMES = [
  "good",
  "ssl-off",
  "intermediate-missing",
  "intermediate-sent",
  "expired",
  "wrong-host",
  "self-signed",
  "tls13-only",
  "direct-ssl",
];

let lab: Lab;
let libpq: LibpqMajor = 17;
const timings: Record<string, number> = {};

beforeAll(async () => {
  libpq = (await psqlMajor()) as LibpqMajor;
  lab = await startLab(NAMES);
  for (const s of lab.skipped) console.warn(`probe-lab: scenario ${s.name} skipped: ${s.reason}`);
});
afterAll(async () => {
  await lab?.stop();
  console.log(`probe-lab: probe wall times (ms): ${JSON.stringify(timings)}`);
});

function server(name: string): LabServer {
  const s = lab.servers.get(name);
  if (!s) throw new Error(`scenario ${name} is not running`);
  return s;
}

const p = (value: string): EffectiveParam => ({ value, source: "connstring" });
const ROOT = () => ({ sslrootcert: p(certPath("root-ca.crt")) });

async function probe(name: string, effective: Record<string, EffectiveParam> = {}, host = "localhost", major = 17) {
  const s = server(name);
  const t0 = Date.now();
  const now = new Date();
  const result = await runServerStage({
    timeoutMs: 5000,
    libpq: major as LibpqMajor,
    now,
    securityLevel: CLIENT_SECURITY_LEVEL,
    effective,
    hosts: [{ host, port: String(s.port), kind: host === "localhost" ? "dns" : "ip" }],
    options: { direct: "always" },
  });
  // Judged as `dbdoctor server` judges a probe: TLS is the question, everything counts.
  const findings =
    result.status === "completed" ? judge({ command: "server", now, server: { facts: result.value } }) : [];
  timings[name] = Math.max(timings[name] ?? 0, Date.now() - t0);
  expect(result.status).toBe("completed");
  const ep = (result.status === "completed" ? result.value.endpoints[0] : undefined) as EndpointFacts;
  return { s, ep, codes: findings.map((f) => f.code), findings };
}

describe("probe of the lab's PostgreSQL servers", () => {
  it("good: TLS 1.3, the chain as sent, verified; 1.0/1.1 refused (PostgreSQL's default minimum); direct SSL on PG17", async () => {
    const { s, ep, codes } = await probe("good", ROOT());
    expect(ep.sslRequest).toMatchObject({ reply: "S", unencryptedBytesAfterS: 0 });
    expect(ep.tls).toMatchObject({ ok: true, protocol: "TLSv1.3", sni: "localhost", alpn: "postgresql" });
    expect(ep.tls?.chain?.map((c) => c.subject)).toEqual(["O=dbdoctor lab, CN=localhost"]);
    expect(ep.chain).toMatchObject({ ok: true });
    expect(ep.hostname).toMatchObject({ ok: true });
    expect(ep.versions?.results).toMatchObject({
      TLSv1: { status: "refused" },
      "TLSv1.1": { status: "refused" },
      "TLSv1.2": { status: "accepted" },
      "TLSv1.3": { status: "accepted" },
    });
    if (s.major >= 17) expect(ep.direct).toMatchObject({ supported: true, alpn: "postgresql" });
    expect(codes).toEqual([]);
  });

  it("ssl-off: 'N', as psql reports it under sslmode=require", async () => {
    const { s, ep, codes } = await probe("ssl-off");
    expect(ep.sslRequest?.reply).toBe("N");
    expect(codes).toContain("server.ssl-not-supported");
    expect(ep.direct?.supported).toBe(false);
    const psql = await psqlConnect(s, { settings: { sslmode: "require" }, user: "app" });
    expect(psql.ok).toBe(false);
    expect(psql.stderr).toContain(ep.sslRequest?.libpqMessage as string);
  });

  it("intermediate-missing: named as such; intermediate-sent verifies with the root alone", async () => {
    const missing = await probe("intermediate-missing", ROOT());
    expect(missing.ep.tls?.chain).toHaveLength(1);
    expect(missing.codes).toContain("tls.chain-unknown-ca");
    const psql = await psqlConnect(missing.s, {
      settings: { sslmode: "verify-ca", sslrootcert: certPath("root-ca.crt") },
      user: "app",
    });
    expect(psql.stderr).toContain("certificate verify failed");
    const sent = await probe("intermediate-sent", ROOT());
    expect(sent.ep.tls?.chain).toHaveLength(2);
    expect(sent.ep.chain?.ok).toBe(true);
  });

  it("expired and self-signed", async () => {
    expect((await probe("expired", ROOT())).codes).toContain("cert.expired");
    expect((await probe("self-signed", ROOT())).codes).toContain("tls.chain-self-signed");
  });

  it("wrong-host: the name refusal psql prints under verify-full", async () => {
    const { s, ep, codes } = await probe("wrong-host", ROOT(), "localhost", libpq);
    expect(codes).toContain("tls.hostname-mismatch");
    const psql = await psqlConnect(s, {
      settings: { sslmode: "verify-full", sslrootcert: certPath("root-ca.crt"), host: "localhost" },
      user: "app",
    });
    expect(psql.ok).toBe(false);
    expect(psql.stderr).toContain(ep.hostname?.message as string);
  });

  it("tls13-only: only 1.3 accepted; a client capped at 1.2 fails with the text psql prints", async () => {
    const open = await probe("tls13-only");
    expect(open.ep.versions?.results["TLSv1.2"].status).toBe("refused");
    expect(open.ep.versions?.results["TLSv1.3"].status).toBe("accepted");
    const capped = await probe("tls13-only", { ssl_max_protocol_version: p("TLSv1.2") }, "127.0.0.1", libpq);
    expect(capped.codes).toEqual(expect.arrayContaining(["tls.handshake-failed", "tls.version-range-unmet"]));
    const psql = await psqlConnect(capped.s, {
      settings: { sslmode: "require", ssl_max_protocol_version: "TLSv1.2" },
      user: "app",
    });
    expect(psql.ok).toBe(false);
    expect(psql.stderr).toContain(capped.ep.tls?.failure?.libpqMessage as string);
  });

  it("direct-ssl: supported when configured on the PG17 server", async (ctx) => {
    const s = lab.servers.get("direct-ssl");
    if (!s) {
      console.warn("probe-lab: direct-ssl scenario not running (needs PostgreSQL 17): skipped");
      ctx.skip();
      return;
    }
    const { ep, codes } = await probe("direct-ssl", { ...ROOT(), sslnegotiation: p("direct") });
    expect(ep.direct).toMatchObject({ configured: true, supported: true, alpn: "postgresql", protocol: "TLSv1.3" });
    expect(codes).not.toContain("server.direct-ssl-unsupported");
  });
});
