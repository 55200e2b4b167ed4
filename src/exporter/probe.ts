// One /probe: `dbdoctor server TARGET` under the module's settings, credential-free by construction (the server
// engine runs the wire probe only: TCP, SSLRequest, TLS handshakes, the version scan, direct SSL; it never sends a
// startup packet, so no user, password or certificate key is ever offered), answered as metrics.
//
// The probe never outlives its deadline: the engine's steps each get half of it and the whole probe the deadline
// itself (src/probe/probe.ts's Deadline: 2 x the step timeout), and the answer does not wait past the deadline even
// if something in the probe did.
import { runServer } from "../engine/server.js";
import { errorMessage } from "../errors.js";
import { DEFAULT_LIBPQ_MAJOR, type EngineOptions } from "../model/options.js";
import type { Target } from "../probe/target.js";
import { emptyInput, makeReport } from "../report/build.js";
import { endpointLabel } from "../report/metrics.js";
import { type Exposition, reportExposition } from "../report/renderers/openmetrics.js";
import type { Report } from "../report/report.js";
import type { ExporterModule } from "./config.js";

export type ProbeResult = "up" | "down" | "timeout" | "error";

export interface ProbeOutcome {
  result: ProbeResult;
  text: string;
  durationMs: number;
  /** Why the probe could not run (internal error or deadline), for the log; never holds a secret. */
  reason?: string;
}

/** The `dbdoctor server` arguments a module stands for. */
export function serverArgs(mod: ExporterModule, target: Target): Record<string, unknown> {
  return {
    target: endpointLabel(target.host, target.port),
    scanVersions: true,
    ...(mod.sslrootcert !== undefined ? { sslrootcert: mod.sslrootcert } : {}),
    ...(mod.servername !== undefined ? { servername: mod.servername } : {}),
    ...(mod.minTlsVersion !== undefined ? { sslMinProtocolVersion: mod.minTlsVersion } : {}),
    // The certificate rules' --warn-days, for the server engine that reads it.
    ...(mod.warnDays !== undefined ? { warnDays: mod.warnDays } : {}),
  };
}

function failedReport(reason: string, started: number): Report {
  return makeReport("server", {
    input: emptyInput(DEFAULT_LIBPQ_MAJOR),
    conninfo: null,
    files: { status: "skipped", reason: "the exporter reads no files but the module's sslrootcert" },
    server: { status: "error", reason },
    modes: [],
    findings: [],
    timings: { server: Date.now() - started },
  });
}

export async function probeTarget(
  mod: ExporterModule,
  target: Target,
  deadlineMs: number,
  kind: Exposition,
): Promise<ProbeOutcome> {
  const started = Date.now();
  const engine: EngineOptions = {
    timeoutMs: Math.max(1, Math.floor(deadlineMs / 2)),
    offline: false,
    urlStyle: "libpq",
    libpq: DEFAULT_LIBPQ_MAJOR,
    authProbe: "none",
  };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), deadlineMs);
  });
  let report: Report;
  let result: ProbeResult;
  let reason: string | undefined;
  try {
    const r = await Promise.race([runServer(serverArgs(mod, target), engine), late]);
    if (r === "late") {
      reason = `the probe did not finish within ${deadlineMs} ms`;
      report = failedReport(reason, started);
      result = "timeout";
    } else {
      report = r;
      const server = r.server;
      if (server.status === "error") reason = server.reason;
      result =
        server.status !== "completed"
          ? "error"
          : server.value.endpoints.some((e) => e.tls?.ok === true)
            ? "up"
            : "down";
    }
  } catch (err) {
    reason = errorMessage(err);
    report = failedReport(reason, started);
    result = "error";
  } finally {
    clearTimeout(timer);
  }
  const text = await reportExposition(report, kind, { endpoint: endpointLabel(target.host, target.port) });
  return { result, text, durationMs: Date.now() - started, ...(reason !== undefined ? { reason } : {}) };
}
