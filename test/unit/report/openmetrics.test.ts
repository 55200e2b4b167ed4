// --format openmetrics: the gauges a report's facts make (src/report/metrics.ts) through prom-client's exposition,
// read back by promtool and by a reader of the sample lines: values from the facts, labels that survive escaping,
// no series twice, nothing secret in a label.
import { describe, expect, it } from "vitest";
import type { AuditServer } from "../../../src/audit/types.js";
import type { CertFacts, EndpointFacts, ServerFacts } from "../../../src/probe/types.js";
import type { AuditReport } from "../../../src/report/audit.js";
import { reportMetrics } from "../../../src/report/metrics.js";
import { loadRenderer } from "../../../src/report/renderers/index.js";
import { reportExposition } from "../../../src/report/renderers/openmetrics.js";
import type { Report } from "../../../src/report/report.js";
import {
  KNOWN_LINT,
  NO_PROMTOOL,
  type ParsedSample,
  PROMTOOL,
  parseSamples,
  promtoolCheck,
  sampleValue,
} from "../../helpers/exposition.js";
import { FIXTURE_NAMES, loadAny, loadAuditFixture, loadFixture } from "./fixtures.js";

const DAY = 86_400_000;
const opts = { color: false, verbose: false };

async function render(report: Report | AuditReport): Promise<string> {
  return (await loadRenderer("openmetrics"))(report, opts);
}

function expectValid(text: string): void {
  if (!PROMTOOL) return;
  const r = promtoolCheck(text);
  expect(r.status, r.output).not.toBe(1); // 1: promtool could not parse it
  expect(r.problems.filter((p) => p !== KNOWN_LINT)).toEqual([]);
}

function expectNoRepeatedSeries(samples: readonly ParsedSample[]): void {
  const keys = samples.map((s) => JSON.stringify([s.name, Object.entries(s.labels).sort()]));
  expect(keys.length).toBe(new Set(keys).size);
}

function cert(subject: string, serial: string, notAfter: string): CertFacts {
  return {
    subject,
    issuer: "CN=Issuer",
    serialNumber: serial,
    notBefore: "2024-01-01T00:00:00.000Z",
    notAfter,
    fingerprint256: "00",
    selfIssued: false,
    isCa: false,
    keyType: "RSA",
    keySecurityBits: 112,
    signatureAlgorithm: "sha256WithRSAEncryption",
    signatureSecurityBits: 128,
  };
}

/** check-full with one endpoint replaced. */
function withEndpoint(ep: EndpointFacts, extra: Partial<ServerFacts> = {}): Report {
  const r = structuredClone(loadFixture("check-full"));
  r.server = { status: "completed", value: { endpoints: [ep], durationMs: 1234, ...extra } };
  return r;
}

describe("--format openmetrics", () => {
  if (!PROMTOOL) console.warn(NO_PROMTOOL);

  for (const name of FIXTURE_NAMES) {
    it(`${name}: promtool accepts it; HELP and TYPE for each family; no series twice; ends with # EOF`, async () => {
      const text = await render(loadAny(name));
      expectValid(text);
      expect(text.endsWith("# EOF\n")).toBe(true);
      const samples = parseSamples(text);
      expectNoRepeatedSeries(samples);
      for (const family of new Set(samples.map((s) => s.name))) {
        expect(text).toContain(`# HELP ${family} `);
        expect(text).toContain(`# TYPE ${family} gauge\n`);
      }
    });
  }

  it("check: every gauge from the report's facts", async () => {
    const report = loadFixture("check-full");
    const samples = parseSamples(await render(report));
    const server = report.server.status === "completed" ? report.server.value : undefined;
    const ep = server?.endpoints[0] as EndpointFacts;
    const endpoint = { endpoint: `${ep.host}:${ep.port}` };
    const leaf = ep.tls?.chain?.[0] as CertFacts;
    expect(sampleValue(samples, "dbdoctor_up", endpoint)).toBe(ep.tls?.ok ? 1 : 0);
    expect(sampleValue(samples, "dbdoctor_probe_duration_seconds", endpoint)).toBe((server?.durationMs ?? 0) / 1000);
    expect(samples.find((s) => s.name === "dbdoctor_cert_not_after_seconds")?.value).toBe(
      Date.parse(leaf.notAfter) / 1000,
    );
    expect(sampleValue(samples, "dbdoctor_cert_days_left", endpoint)).toBe(
      Math.floor((Date.parse(leaf.notAfter) - Date.parse(report.generatedAt)) / DAY),
    );
    expect(sampleValue(samples, "dbdoctor_chain_verified", endpoint)).toBe(ep.chain?.ok ? 1 : 0);
    expect(sampleValue(samples, "dbdoctor_hostname_match", endpoint)).toBe(ep.hostname?.ok ? 1 : 0);
    for (const m of report.modes)
      expect(sampleValue(samples, "dbdoctor_sslmode_ok", { sslmode: m.sslmode }), m.sslmode).toBe(
        m.ok === null ? undefined : m.ok ? 1 : 0,
      );
    for (const severity of ["error", "warning", "info"] as const)
      expect(sampleValue(samples, "dbdoctor_findings", { severity })).toBe(
        report.findings.filter((f) => f.severity === severity).length,
      );
    for (const f of report.findings)
      expect(sampleValue(samples, "dbdoctor_finding", { code: f.code, severity: f.severity })).toBe(
        report.findings.filter((g) => g.code === f.code && g.severity === f.severity).length,
      );
  });

  it("a chain of three: one series per certificate, days left of the earliest, labels that survive escaping", async () => {
    const nasty = 'O=Quote " and back\\slash, OU=line\nbreak, CN=db.ünïcode.example';
    const chain = [
      cert("CN=leaf", "01AB", "2026-06-01T00:00:00.000Z"),
      cert(nasty, "02CD", "2025-03-01T12:00:00.000Z"),
      cert("CN=root", "03EF", "2035-01-01T00:00:00.000Z"),
    ];
    const report = withEndpoint({
      host: "db.internal",
      port: 5432,
      tls: { ok: true, durationMs: 3, sni: "db.internal", alpnOffered: [], chain },
    });
    const text = await render(report);
    expectValid(text);
    const samples = parseSamples(text);
    const notAfter = samples.filter((s) => s.name === "dbdoctor_cert_not_after_seconds");
    expect(notAfter.map((s) => [s.labels.position, s.labels.subject, s.labels.serial, s.value])).toEqual(
      chain.map((c, i) => [String(i), c.subject, c.serialNumber, Date.parse(c.notAfter) / 1000]),
    );
    expect(sampleValue(samples, "dbdoctor_cert_days_left", { endpoint: "db.internal:5432" })).toBe(
      Math.floor((Date.parse("2025-03-01T12:00:00.000Z") - Date.parse(report.generatedAt)) / DAY),
    );
    // Not judged (no chain or name verdict, no version scan): absent, never 0.
    for (const name of ["dbdoctor_chain_verified", "dbdoctor_hostname_match", "dbdoctor_tls_version_accepted"])
      expect(
        samples.some((s) => s.name === name),
        name,
      ).toBe(false);
  });

  it("TLS versions: accepted 1, refused 0, untestable or failed absent; an expired chain has negative days", async () => {
    const report = withEndpoint({
      host: "::1",
      port: 5433,
      tls: {
        ok: true,
        durationMs: 3,
        sni: null,
        alpnOffered: [],
        chain: [cert("CN=old", "05", "2024-12-01T00:00:00.000Z")],
      },
      chain: { trust: { kind: "none", reason: "no root file" }, ok: null },
      versions: {
        results: {
          TLSv1: { status: "untestable" },
          "TLSv1.1": { status: "accepted" },
          "TLSv1.2": { status: "refused" },
          "TLSv1.3": { status: "error" },
        },
        client: { min: "TLSv1.2", max: null, source: "default" },
        common: [],
      },
    });
    const samples = parseSamples(await render(report));
    const endpoint = "[::1]:5433";
    const version = (v: string) => sampleValue(samples, "dbdoctor_tls_version_accepted", { endpoint, version: v });
    expect([version("TLSv1"), version("TLSv1.1"), version("TLSv1.2"), version("TLSv1.3")]).toEqual([
      undefined,
      1,
      0,
      undefined,
    ]);
    expect(sampleValue(samples, "dbdoctor_cert_days_left", { endpoint })).toBeLessThan(0);
    expect(samples.some((s) => s.name === "dbdoctor_chain_verified")).toBe(false);
  });

  it("an endpoint that failed before TLS is down; hostaddr names the endpoint; a repeated host is one series", async () => {
    const down: EndpointFacts = { host: "db.internal", hostaddr: "10.0.0.9", port: 5432, tcp: [] };
    const report = withEndpoint(down);
    if (report.server.status === "completed") report.server.value.endpoints.push({ ...down });
    const samples = parseSamples(await render(report));
    expect(samples.filter((s) => s.name === "dbdoctor_up")).toEqual([
      { name: "dbdoctor_up", labels: { endpoint: "10.0.0.9:5432" }, value: 0 },
    ]);
    expectNoRepeatedSeries(samples);
  });

  it("a probe that could not run: down for the endpoint the exporter asked about, nothing invented otherwise", async () => {
    const report = structuredClone(loadFixture("check-full"));
    report.server = { status: "error", reason: "the server probe failed: boom" };
    const asked = parseSamples(await reportExposition(report, "openmetrics", { endpoint: "db.internal:5432" }));
    expect(sampleValue(asked, "dbdoctor_up", { endpoint: "db.internal:5432" })).toBe(0);
    const plain = parseSamples(await reportExposition(report, "openmetrics"));
    expect(plain.some((s) => s.name === "dbdoctor_up")).toBe(false);
    expect(reportMetrics(report).map((f) => f.name)).not.toContain("dbdoctor_up");
  });

  it("the Prometheus text format carries the same samples without the OpenMetrics framing", async () => {
    const report = loadFixture("check-full");
    const om = await reportExposition(report, "openmetrics");
    const prom = await reportExposition(report, "prometheus");
    expect(prom).not.toContain("# EOF");
    expect(parseSamples(prom)).toEqual(parseSamples(om));
    expectValid(prom);
  });

  it("no label holds a secret: the endpoint is host:port, never the URL or its userinfo", async () => {
    const report = structuredClone(loadFixture("check-full"));
    const password = "s3cret-Pa55";
    if (report.conninfo) report.conninfo.params.password = password;
    report.findings.push({
      code: "url.password-present",
      severity: "info",
      subject: `postgresql://app:${password}@db.internal/app`,
      message: `postgresql://app:${password}@db.internal/app has a password`,
    });
    const text = await render(report);
    expect(text).not.toContain(password);
    for (const s of parseSamples(text))
      for (const v of Object.values(s.labels)) expect(v, `${s.name} ${v}`).not.toMatch(/@|:\/\//);
  });

  it("audit --live: one series set per probed server; the same host:port with other TLS settings kept apart", async () => {
    const audit = structuredClone(loadAuditFixture());
    const ep = (s: number): AuditServer => ({
      host: "db.internal",
      port: 5432,
      settings: [s],
      result: {
        status: "completed",
        value: {
          endpoints: [
            {
              host: "db.internal",
              port: 5432,
              tls: { ok: true, durationMs: 2, sni: "db.internal", alpnOffered: [], chain: [] },
            },
          ],
          durationMs: 20 + s,
        },
      },
    });
    audit.servers = [ep(0), ep(1)];
    const text = await render(audit);
    expectValid(text);
    const samples = parseSamples(text);
    expectNoRepeatedSeries(samples);
    const sources = samples.filter((s) => s.name === "dbdoctor_up").map((s) => s.labels.source);
    const at = (i: number) => audit.settings[i]?.location;
    expect(sources).toEqual([0, 1].map((i) => `${at(i)?.file}:${at(i)?.line}:${at(i)?.column}`));
    expect(new Set(sources).size).toBe(2);
  });
});
