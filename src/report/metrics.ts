// The monitoring view of a report: which gauges a report's facts make, with their labels and values. Pure, and the
// one place that reads the probe's and the chain's facts for metrics, so a change to those facts (the certificate
// judgment shared by files and server chains) is adapted here and nowhere else. The exposition (escaping, HELP and
// TYPE lines, the OpenMetrics framing) is prom-client's, in renderers/openmetrics.ts.
//
// Labels carry names, never values that could hold a secret: the endpoint is host:port as the probe connected to it
// (never the connection string or a URL with userinfo), certificates are named by their public subject and serial.
import type { AuditServer } from "../audit/types.js";
import type { Severity } from "../model/finding.js";
import type { StageResult } from "../model/stage.js";
import type { EndpointFacts, ServerFacts } from "../probe/types.js";
import { TLS_VERSIONS } from "../probe/types.js";
import type { AuditReport } from "./audit.js";
import { type AnyReport, findingsOf, isAuditReport } from "./kinds.js";

/** Every metric dbdoctor exposes for a report, with its HELP text and label names (one typed table). */
export const METRICS = {
  dbdoctor_up: {
    help: "1 when the probe completed a TLS handshake with the endpoint (after the SSLRequest, as libpq does), else 0.",
    labels: ["endpoint"],
  },
  dbdoctor_probe_duration_seconds: {
    help: "Wall time of the probe that measured the endpoint, in seconds.",
    labels: ["endpoint"],
  },
  dbdoctor_tls_version_accepted: {
    help: "1 when the endpoint completed a handshake at this TLS version alone, 0 when it refused it; absent when it could not be tested.",
    labels: ["endpoint", "version"],
  },
  dbdoctor_cert_not_after_seconds: {
    help: "The notAfter time of each certificate the endpoint sent, leaf at position 0, in Unix seconds.",
    labels: ["endpoint", "position", "subject", "serial"],
  },
  dbdoctor_cert_days_left: {
    help: "Whole days until the earliest notAfter of the certificates the endpoint sent (negative once expired).",
    labels: ["endpoint"],
  },
  dbdoctor_chain_verified: {
    help: "1 when the chain the endpoint sent verifies against the root certificates as libpq's OpenSSL would, else 0; absent with nothing to verify against.",
    labels: ["endpoint"],
  },
  dbdoctor_hostname_match: {
    help: "1 when the leaf certificate matches the host name by libpq's rules (verify-full), else 0.",
    labels: ["endpoint"],
  },
  dbdoctor_sslmode_ok: {
    help: "1 when libpq establishes a session under this sslmode, 0 when it does not; absent when undecided.",
    labels: ["sslmode"],
  },
  dbdoctor_findings: {
    help: "Number of findings of each severity.",
    labels: ["severity"],
  },
  dbdoctor_finding: {
    help: "Number of findings with this code; see docs/findings.md.",
    labels: ["code", "severity"],
  },
} as const satisfies Record<string, { help: string; labels: readonly string[] }>;

export type MetricName = keyof typeof METRICS;

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: MetricName;
  help: string;
  labelNames: readonly string[];
  samples: Sample[];
}

export interface MetricsOptions {
  /**
   * The endpoint the caller asked about (the exporter's target): reported as down when the probe gives no facts
   * about it (a probe that could not run).
   */
  endpoint?: string;
}

const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];
const DAY_MS = 86_400_000;

/** host:port, IPv6 in brackets: what the probe connected to, never a URL. */
export function endpointLabel(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

function bool(value: boolean | null | undefined): number | undefined {
  return value === true ? 1 : value === false ? 0 : undefined;
}

type Add = (name: MetricName, labels: Record<string, string>, value: number | undefined) => void;

/** The gauges of one probed endpoint. `extra` tells apart two probes of the same endpoint (audit --live). */
function endpointSamples(
  ep: EndpointFacts,
  facts: ServerFacts,
  now: number,
  extra: Record<string, string>,
  add: Add,
): void {
  if (ep.skipped) return; // a Unix-domain socket: no TLS to monitor
  // Where the probe connected: hostaddr when given (libpq then uses host only for SNI and the name check).
  const endpoint = { endpoint: endpointLabel(ep.hostaddr ?? ep.host, ep.port), ...extra };
  add("dbdoctor_up", endpoint, ep.tls?.ok === true ? 1 : 0);
  if (facts.durationMs !== undefined) add("dbdoctor_probe_duration_seconds", endpoint, facts.durationMs / 1000);
  const versions = ep.versions?.results;
  if (versions)
    for (const v of TLS_VERSIONS) {
      const status = versions[v]?.status;
      add(
        "dbdoctor_tls_version_accepted",
        { ...endpoint, version: v },
        status === "accepted" ? 1 : status === "refused" ? 0 : undefined,
      );
    }
  const chain = ep.tls?.chain ?? [];
  let earliest: number | undefined;
  for (const [position, cert] of chain.entries()) {
    const notAfter = Date.parse(cert.notAfter);
    if (Number.isNaN(notAfter)) continue;
    earliest = earliest === undefined ? notAfter : Math.min(earliest, notAfter);
    add(
      "dbdoctor_cert_not_after_seconds",
      { ...endpoint, position: String(position), subject: cert.subject, serial: cert.serialNumber ?? "" },
      notAfter / 1000,
    );
  }
  // Whole days, rounded down, as dbdoctor counts them everywhere (src/pki/x509.ts daysBetween).
  if (earliest !== undefined) add("dbdoctor_cert_days_left", endpoint, Math.floor((earliest - now) / DAY_MS));
  add("dbdoctor_chain_verified", endpoint, bool(ep.chain?.ok));
  add("dbdoctor_hostname_match", endpoint, bool(ep.hostname?.ok));
}

/** A probe that did not run (or gave no endpoint) still says the endpoint is down, when we know which it was. */
function serverSamples(
  result: StageResult<ServerFacts>,
  now: number,
  extra: Record<string, string>,
  add: Add,
  fallback: string | undefined,
): void {
  if (result.status === "completed") {
    for (const ep of result.value.endpoints) endpointSamples(ep, result.value, now, extra, add);
    if (result.value.endpoints.length > 0) return;
  }
  if (fallback !== undefined && result.status !== "skipped") add("dbdoctor_up", { endpoint: fallback, ...extra }, 0);
}

function auditServerSamples(server: AuditServer, report: AuditReport, now: number, add: Add): void {
  // Two settings may name the same host:port with different TLS settings (another root file): the probes differ,
  // so the first setting that names each keeps their series apart.
  const first = report.settings[server.settings[0] ?? -1];
  const source = first ? `${first.location.file}:${first.location.line}:${first.location.column}` : "";
  serverSamples(server.result, now, { source }, add, endpointLabel(server.hostaddr ?? server.host, server.port));
}

/** The metric families of a report, each with at least one sample, in METRICS order. */
export function reportMetrics(report: AnyReport, options: MetricsOptions = {}): MetricFamily[] {
  const families = new Map<MetricName, MetricFamily>();
  const seen = new Set<string>();
  const add: Add = (name, labels, value) => {
    if (value === undefined || !Number.isFinite(value)) return;
    // The first sample of a series wins (a host listed twice in a connection string is probed twice).
    const key = JSON.stringify([name, labels]);
    if (seen.has(key)) return;
    seen.add(key);
    let family = families.get(name);
    if (!family) {
      family = { name, help: METRICS[name].help, labelNames: labelNamesOf(name, labels), samples: [] };
      families.set(name, family);
    }
    family.samples.push({ labels, value });
  };
  const now = Date.parse(report.generatedAt);
  if (isAuditReport(report)) {
    for (const server of report.servers) auditServerSamples(server, report, now, add);
  } else {
    serverSamples(report.server, now, {}, add, options.endpoint);
    for (const m of report.modes) add("dbdoctor_sslmode_ok", { sslmode: m.sslmode }, bool(m.ok));
  }
  const findings = findingsOf(report);
  for (const severity of SEVERITIES)
    add("dbdoctor_findings", { severity }, findings.filter((f) => f.severity === severity).length);
  const byCode = new Map<string, { severity: Severity; count: number }>();
  for (const f of findings) {
    const key = `${f.code}\0${f.severity}`;
    const entry = byCode.get(key) ?? { severity: f.severity, count: 0 };
    entry.count++;
    byCode.set(key, entry);
  }
  for (const [key, { severity, count }] of [...byCode].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    add("dbdoctor_finding", { code: key.slice(0, key.indexOf("\0")), severity }, count);
  return (Object.keys(METRICS) as MetricName[]).flatMap((n) => families.get(n) ?? []);
}

/** The declared labels, plus the audit's `source` when the samples carry it. */
function labelNamesOf(name: MetricName, labels: Record<string, string>): readonly string[] {
  const declared: readonly string[] = METRICS[name].labels;
  return [...declared, ...Object.keys(labels).filter((l) => !declared.includes(l))];
}
