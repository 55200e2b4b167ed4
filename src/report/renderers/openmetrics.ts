// `--format openmetrics`: the report's gauges (src/report/metrics.ts) in the OpenMetrics text exposition, for
// node_exporter's textfile collector, a cron job or `dbdoctor exporter`. prom-client's Registry writes the HELP and
// TYPE lines, escapes label values and frames the output (`# EOF`); dbdoctor escapes nothing by hand. Only gauges,
// so the same text is also valid Prometheus text format 0.0.4 (`# EOF` is a comment there), which is what the
// textfile collector parses. prom-client loads only with this module: no other format or command pays for it.
import { Gauge, Registry, type RegistryContentType } from "prom-client";
import { type MetricFamily, type MetricsOptions, reportMetrics } from "../metrics.js";
import { sanitizeReport } from "./sanitize.js";
import type { AsyncRenderer } from "./types.js";

export type Exposition = "openmetrics" | "prometheus";

/** The Content-Type of each exposition, as an HTTP answer declares it. */
export const CONTENT_TYPES: Readonly<Record<Exposition, RegistryContentType>> = {
  openmetrics: Registry.OPENMETRICS_CONTENT_TYPE,
  prometheus: Registry.PROMETHEUS_CONTENT_TYPE,
};

/** The families as text; a fresh registry each time, so nothing of one report leaks into the next. */
export function exposition(families: readonly MetricFamily[], kind: Exposition = "openmetrics"): Promise<string> {
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(CONTENT_TYPES[kind]);
  for (const f of families) {
    const gauge = new Gauge({ name: f.name, help: f.help, labelNames: f.labelNames, registers: [registry] });
    for (const s of f.samples) gauge.set(s.labels, s.value);
  }
  return registry.metrics();
}

/** The metrics of one report in the given exposition (the exporter's /probe answer). */
export function reportExposition(
  report: Parameters<AsyncRenderer>[0],
  kind: Exposition,
  options: MetricsOptions = {},
): Promise<string> {
  return exposition(reportMetrics(sanitizeReport(report), options), kind);
}

export const renderOpenMetrics: AsyncRenderer = (report) => reportExposition(report, "openmetrics");
