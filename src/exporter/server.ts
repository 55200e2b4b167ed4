// `dbdoctor exporter`: a Prometheus exporter in the blackbox_exporter style. Prometheus scrapes
// GET /probe?target=HOST:PORT&module=NAME (the target passed through relabelling), the exporter probes that server
// and answers its metrics; GET /metrics has the exporter's own. A target must match its module's allowed patterns
// before anything is resolved or dialled; probes are bounded in number and in time.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Exposition } from "../report/renderers/openmetrics.js";
import { CONTENT_TYPES } from "../report/renderers/openmetrics.js";
import { VERSION } from "../version.js";
import type { ExporterConfig } from "./config.js";
import { Limiter } from "./limiter.js";
import { type ProbeResult, probeTarget } from "./probe.js";
import { allowed, readTarget } from "./targets.js";

export interface ListenAddress {
  host: string;
  port: number;
}

export interface ExporterOptions {
  config: ExporterConfig;
  listen: ListenAddress;
  /** The deadline of one probe, queueing included. */
  timeoutMs: number;
  /** Probes at once; as many again may wait for a slot. */
  concurrency: number;
  log: (line: string) => void;
}

const PROBE_RESULTS: readonly ProbeResult[] = ["up", "down", "timeout", "error"];
const REFUSALS = ["bad_request", "unknown_module", "target_not_allowed", "overloaded"] as const;
type Refusal = (typeof REFUSALS)[number];
/** What Prometheus waits for a scrape; the answer must come before (blackbox_exporter keeps the same margin). */
const SCRAPE_TIMEOUT_HEADER = "x-prometheus-scrape-timeout-seconds";
const SCRAPE_MARGIN_MS = 500;

/** The probe's deadline: --timeout, shortened to what Prometheus will wait for when it says so. */
export function probeDeadline(timeoutMs: number, scrapeTimeoutHeader: string | undefined): number {
  const seconds = Number(scrapeTimeoutHeader);
  if (scrapeTimeoutHeader === undefined || !Number.isFinite(seconds) || seconds <= 0) return timeoutMs;
  return Math.max(1, Math.min(timeoutMs, Math.round(seconds * 1000) - SCRAPE_MARGIN_MS));
}

/** OpenMetrics when the scraper asks for it (Prometheus does), the Prometheus text format otherwise. */
export function negotiate(accept: string | undefined): Exposition {
  return accept?.includes("application/openmetrics-text") ? "openmetrics" : "prometheus";
}

class OwnMetrics {
  // The exporter's own metrics stay in the Prometheus text format: prom-client renames counters in place when it
  // writes OpenMetrics, and one registry must not answer both ways.
  readonly registry = new Registry();
  readonly probes: Counter<"module" | "result">;
  readonly duration: Histogram<"module">;
  readonly refused: Counter<"reason">;

  constructor(modules: readonly string[], limiter: Limiter) {
    const registers = [this.registry];
    this.probes = new Counter({
      name: "dbdoctor_exporter_probes_total",
      help: "Probes run, by module and result (up: TLS handshake completed; down: it did not; timeout; error).",
      labelNames: ["module", "result"],
      registers,
    });
    this.duration = new Histogram({
      name: "dbdoctor_exporter_probe_duration_seconds",
      help: "Wall time of each probe, queueing excluded, in seconds.",
      labelNames: ["module"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.refused = new Counter({
      name: "dbdoctor_exporter_refused_total",
      help: "Probe requests answered without probing: malformed, unknown module, target not allowed (HTTP 400), overloaded (HTTP 503).",
      labelNames: ["reason"],
      registers,
    });
    new Gauge({
      name: "dbdoctor_exporter_probes_in_flight",
      help: "Probes running now.",
      registers,
      collect() {
        this.set(limiter.inFlight);
      },
    });
    new Gauge({
      name: "dbdoctor_exporter_probes_queued",
      help: "Probe requests waiting for a slot now.",
      registers,
      collect() {
        this.set(limiter.queued);
      },
    });
    new Gauge({
      name: "dbdoctor_exporter_build_info",
      help: "The dbdoctor version that runs the exporter.",
      labelNames: ["version"],
      registers,
    }).set({ version: VERSION }, 1);
    // Every series exists from the start, so rate() and absent() see zeros rather than nothing.
    for (const module of modules) {
      for (const result of PROBE_RESULTS) this.probes.inc({ module, result }, 0);
      this.duration.zero({ module });
    }
    for (const reason of REFUSALS) this.refused.inc({ reason }, 0);
  }
}

function send(res: ServerResponse, status: number, body: string, type = "text/plain; charset=utf-8"): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

export class Exporter {
  private readonly server: Server;
  private readonly limiter: Limiter;
  private readonly own: OwnMetrics;
  private readonly handlers = new Set<Promise<void>>();
  private stopping: Promise<void> | undefined;

  constructor(private readonly o: ExporterOptions) {
    this.limiter = new Limiter(o.concurrency, o.concurrency);
    this.own = new OwnMetrics([...o.config.modules.keys()], this.limiter);
    this.server = createServer((req, res) => {
      const handling = this.handle(req, res).catch((err: unknown) => {
        o.log(`internal error: ${err instanceof Error ? err.message : String(err)}`);
        send(res, 500, "internal error\n");
      });
      this.handlers.add(handling);
      void handling.finally(() => this.handlers.delete(handling));
    });
    // A scraper that stops reading must not hold a socket for ever.
    this.server.requestTimeout = o.timeoutMs + 10_000;
  }

  /** Listens; resolves with the bound address (port 0 picks a free one). */
  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.o.listen.port, this.o.listen.host, () => {
        this.server.off("error", reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /**
   * Stops: no new connection or probe (waiting requests get 503), the running probes finish (each within its
   * deadline) and are answered, then every connection is closed.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.limiter.close();
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.server.closeIdleConnections();
      await Promise.allSettled([...this.handlers]);
      this.server.closeAllConnections();
      await closed;
    })();
    return this.stopping;
  }

  /** Stops without waiting for the running probes' answers: every connection is closed now. */
  abort(): void {
    void this.stop();
    this.server.closeAllConnections();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://exporter.invalid");
    if (req.method !== "GET") {
      res.setHeader("Allow", "GET");
      return send(res, 405, "only GET\n");
    }
    switch (url.pathname) {
      case "/probe":
        return this.probe(req, res, url);
      case "/metrics":
        return send(res, 200, await this.own.registry.metrics(), CONTENT_TYPES.prometheus);
      case "/-/healthy":
        return send(res, 200, "OK\n");
      case "/":
        return send(res, 200, this.index());
      default:
        return send(res, 404, "not found: use /probe?target=HOST:PORT&module=NAME or /metrics\n");
    }
  }

  /** What a person who opens the exporter in a browser needs; the allowed patterns stay in the configuration. */
  private index(): string {
    const modules = [...this.o.config.modules.keys()].join(", ");
    return `dbdoctor exporter ${VERSION}\n\nGET /probe?target=HOST:PORT&module=NAME  probe a PostgreSQL server's TLS (never logs in)\nGET /metrics                              the exporter's own metrics\n\nmodules: ${modules}\n`;
  }

  private refuse(res: ServerResponse, reason: Refusal, message: string): void {
    this.own.refused.inc({ reason });
    send(res, reason === "overloaded" ? 503 : 400, `${message}\n`);
  }

  private async probe(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const started = Date.now();
    const targets = url.searchParams.getAll("target");
    const modules = url.searchParams.getAll("module");
    if (targets.length !== 1 || modules.length !== 1)
      return this.refuse(res, "bad_request", "give exactly one target=HOST:PORT and one module=NAME");
    const name = modules[0] as string;
    const mod = this.o.config.modules.get(name);
    if (!mod)
      return this.refuse(
        res,
        "unknown_module",
        `unknown module "${name}"; modules: ${[...this.o.config.modules.keys()].join(", ")}`,
      );
    const target = readTarget(targets[0] as string);
    if (typeof target === "string") return this.refuse(res, "bad_request", `target refused: ${target}`);
    // Before anything is resolved or dialled.
    if (!allowed(mod.allowedTargets, target))
      return this.refuse(res, "target_not_allowed", `target not allowed by module "${name}"'s allowed_targets`);

    const header = req.headers[SCRAPE_TIMEOUT_HEADER];
    const deadlineMs = probeDeadline(this.o.timeoutMs, Array.isArray(header) ? header[0] : header);
    const release = await this.limiter.acquire(deadlineMs - (Date.now() - started));
    if (!release) return this.refuse(res, "overloaded", "too many probes at once; try again");
    try {
      const left = Math.max(1, deadlineMs - (Date.now() - started));
      const outcome = await probeTarget(mod, target, left, negotiate(req.headers.accept));
      this.own.probes.inc({ module: name, result: outcome.result });
      this.own.duration.observe({ module: name }, outcome.durationMs / 1000);
      if (outcome.reason !== undefined && outcome.result !== "down")
        this.o.log(`probe of ${targets[0]} (module ${name}): ${outcome.result}: ${outcome.reason}`);
      send(res, 200, outcome.text, CONTENT_TYPES[negotiate(req.headers.accept)]);
    } finally {
      release();
    }
  }
}
