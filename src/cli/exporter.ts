// `dbdoctor exporter`: its options, and the command that runs the exporter (src/exporter) until SIGTERM or SIGINT.
// The exporter's modules load only when this command runs.
import { isIP } from "node:net";
import type { Options } from "yargs";
import { UsageError } from "../errors.js";
import { parseDuration } from "./duration.js";

export const EXPORTER_DESCRIBE =
  "Prometheus exporter (blackbox style): GET /probe probes a server's TLS for a target and module, never logging in";

export const EXPORTER_OPTIONS = {
  config: {
    type: "string",
    demandOption: true,
    describe: "YAML file of modules: allowed_targets, sslrootcert, servername, min_tls_version, warn_days",
    group: "Exporter:",
  },
  listen: {
    type: "string",
    default: "127.0.0.1:9432",
    describe: "Address to listen on (HOST:PORT; port 0 picks a free one)",
    group: "Exporter:",
  },
  timeout: {
    type: "string",
    default: "5s",
    describe: "Deadline of one probe, shortened to Prometheus' scrape timeout when it is shorter",
    group: "Exporter:",
  },
  concurrency: {
    type: "number",
    default: 4,
    describe: "Probes at once; as many more may wait, beyond that HTTP 503",
    group: "Exporter:",
  },
} as const satisfies Record<string, Options>;

/** HOST:PORT or [IPv6]:PORT; port 0 lets the system pick. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (!m || host === undefined || port > 65535 || (m[1] !== undefined && isIP(host) !== 6))
    throw new UsageError(
      `--listen "${text}" is not HOST:PORT`,
      "Write e.g. 127.0.0.1:9432 (the default), [::1]:9432, or 0.0.0.0:9432 to listen on every interface.",
    );
  return { host, port };
}

function positive(value: unknown, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new UsageError(`${option} ${String(value)} is not a whole number from 1 to 1000`, `e.g. ${option} 4`);
  return n;
}

const log = (line: string) => process.stderr.write(`dbdoctor exporter: ${line}\n`);

/** Runs until SIGTERM or SIGINT, then stops cleanly and returns 0. */
export async function runExporterCommand(args: Record<string, unknown>): Promise<number> {
  const timeoutMs = parseDuration(String(args.timeout), "--timeout");
  const listen = parseListen(String(args.listen));
  const concurrency = positive(args.concurrency, "--concurrency");
  const { loadConfig } = await import("../exporter/config.js");
  const config = loadConfig(String(args.config));
  const { Exporter } = await import("../exporter/server.js");
  const exporter = new Exporter({ config, listen, timeoutMs, concurrency, log });
  const address = await exporter.listen().catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(
      `cannot listen on ${String(args.listen)}: ${err.code ?? err.message}`,
      "Pick another --listen.",
    );
  });
  for (const w of config.warnings) log(`warning: ${w}`);
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  log(`listening on http://${host}:${address.port} (modules: ${[...config.modules.keys()].join(", ")})`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off("SIGTERM", on).off("SIGINT", on);
      resolve(s);
    };
    process.on("SIGTERM", on).on("SIGINT", on);
  });
  log(`${signal}: stopping; running probes finish within ${timeoutMs} ms`);
  // A second signal does not wait for the running probes' answers (their sockets still close by their deadline).
  const hurry = () => exporter.abort();
  process.once("SIGTERM", hurry).once("SIGINT", hurry);
  await exporter.stop();
  process.off("SIGTERM", hurry).off("SIGINT", hurry);
  log("stopped");
  return 0;
}
