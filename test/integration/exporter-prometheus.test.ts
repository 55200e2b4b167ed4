// The monitoring acceptance, end to end: a real Prometheus (Debian's prometheus package) on 127.0.0.1 with a
// temporary data dir scrapes `dbdoctor exporter` with the README's blackbox relabelling, against two lab servers
// (a good chain, and one whose leaf expires within the warning window), loads docs/prometheus/alerts.yml, and its
// HTTP API is asked until the expiry metrics are ingested with the values the certificate files hold. Then the
// CLI's --format openmetrics of server, check and audit --live against the same servers goes through promtool.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { certPath, LAB_PASSWORD, type Lab, startLab } from "../../scripts/lab/index.js";
import { CLI, runCliAsync } from "../helpers/cli.js";
import { get, killExporters, type RunningExporter, startExporter, until } from "../helpers/exporter.js";
import { KNOWN_LINT, PROMTOOL, parseSamples, promtoolCheck, sampleValue } from "../helpers/exposition.js";
import { REPO } from "../helpers/lab.js";

const found = (bin: string) => (spawnSync(bin, ["--version"], { encoding: "utf8" }).status === 0 ? bin : null);
const PROMETHEUS = found("prometheus");
/** Debian's node_exporter (prometheus-node-exporter, which the prometheus package recommends). */
const NODE_EXPORTER = found("prometheus-node-exporter");
const WARN_DAYS = 30;
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), "dbdoctor-prometheus-"));

let lab: Lab | undefined;
let labError: string | undefined;
let exporter: RunningExporter | undefined;
let prometheus: ChildProcess | undefined;
let promBase = "";
let promLog = "";
let nodeExporter: ChildProcess | undefined;
const started = Date.now();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

/** A README fenced block that starts with `first`, parsed. */
function readmeYaml(first: string): Record<string, unknown> {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  const block = blocks.find((b) => b.startsWith(first));
  if (!block) throw new Error(`README has no yaml block starting with ${first}`);
  return parse(block) as Record<string, unknown>;
}

interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(q: string): Promise<PromSample[]> {
  const r = await get(`${promBase}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = JSON.parse(r.text) as { status: string; data?: { result: PromSample[] } };
  return body.status === "success" ? (body.data?.result ?? []) : [];
}

/** Polls a query until it returns a sample for each instance; returns them by instance. */
async function ingested(q: string, instances: readonly string[]): Promise<Map<string, PromSample[]>> {
  let byInstance = new Map<string, PromSample[]>();
  await until(
    `Prometheus has ${q} for ${instances.join(", ")} (log: ${promLog.slice(-2000)})`,
    async () => {
      byInstance = new Map();
      for (const s of await query(q))
        byInstance.set(s.metric.instance ?? "", [...(byInstance.get(s.metric.instance ?? "") ?? []), s]);
      return instances.every((i) => byInstance.has(i));
    },
    150_000,
  );
  return byInstance;
}

function notAfter(cert: string): number {
  return Date.parse(new X509Certificate(readFileSync(certPath(`${cert}.crt`))).validTo);
}

const target = (name: string) => `127.0.0.1:${lab?.servers.get(name)?.port}`;

beforeAll(async () => {
  try {
    lab = await startLab(["good", "expiring-leaf"]);
  } catch (err) {
    labError = err instanceof Error ? err.message : String(err);
  }
  if (!lab || !PROMETHEUS || !existsSync(CLI)) return;
  exporter = await startExporter(
    dir,
    stringify({
      modules: {
        lab: {
          allowed_targets: [target("good"), target("expiring-leaf")],
          sslrootcert: certPath("root-ca.crt"),
          min_tls_version: "TLSv1.2",
          warn_days: WARN_DAYS,
        },
      },
    }),
    "--timeout",
    "10s",
  );
  const exporterAddress = exporter.base.replace("http://", "");
  // The README's scrape config, pointed at this exporter, these two servers and the lab module.
  const scrape = structuredClone(readmeYaml("scrape_configs:").scrape_configs) as Array<Record<string, unknown>>;
  const [probe, own] = scrape as [Record<string, unknown>, Record<string, unknown>];
  probe.params = { module: ["lab"] };
  probe.static_configs = [{ targets: [target("good"), target("expiring-leaf")] }];
  const relabel = probe.relabel_configs as Array<Record<string, unknown>>;
  const address = relabel.find((r) => r.target_label === "__address__");
  if (!address) throw new Error("the README's relabel_configs set no __address__");
  address.replacement = exporterAddress;
  own.static_configs = [{ targets: [exporterAddress] }];
  const configFile = join(dir, "prometheus.yml");
  writeFileSync(
    configFile,
    stringify({
      global: { scrape_interval: "5s", scrape_timeout: "5s", evaluation_interval: "2s" },
      rule_files: [join(REPO, "docs/prometheus/alerts.yml")],
      scrape_configs: scrape,
    }),
  );
  const check = spawnSync("promtool", ["check", "config", configFile], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`promtool check config: ${check.stdout}${check.stderr}`);
  const port = await freePort();
  promBase = `http://127.0.0.1:${port}`;
  mkdirSync(join(dir, "data"));
  prometheus = spawn(
    PROMETHEUS,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  prometheus.stderr?.on("data", (d: Buffer) => {
    promLog = (promLog + d.toString()).slice(-20_000);
  });
  // Never left running, whatever ends this process.
  process.once("exit", () => {
    prometheus?.kill("SIGKILL");
    nodeExporter?.kill("SIGKILL");
  });
  await until(
    "Prometheus is ready",
    async () => (await fetch(`${promBase}/-/ready`).catch(() => null))?.status === 200,
    60_000,
  );
}, 180_000);

afterAll(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const gone = new Promise((resolve) => prometheus?.once("exit", resolve));
    prometheus.kill("SIGTERM");
    const killer = setTimeout(() => prometheus?.kill("SIGKILL"), 20_000);
    await gone;
    clearTimeout(killer);
  }
  nodeExporter?.kill("SIGKILL");
  if (exporter && exporter.child.exitCode === null) {
    exporter.child.kill("SIGTERM");
    expect(await exporter.exited).toBe(0);
  }
  killExporters();
  await lab?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Skips (saying why) only when a binary is missing; a lab that does not start fails the acceptance. */
function ready(ctx: { skip: () => void }): void {
  if (labError !== undefined) throw new Error(`the lab did not start: ${labError}`);
  const missing = !PROMETHEUS
    ? "prometheus not found (Debian package prometheus; .ci/run installs it)"
    : !existsSync(CLI)
      ? "the CLI is not built (npm run build)"
      : undefined;
  if (missing) {
    console.warn(`exporter-prometheus skipped: ${missing}`);
    ctx.skip();
  }
}

describe("Prometheus scraping dbdoctor exporter", () => {
  it("ingests the certificate expiry of both lab servers with the values their certificate files hold", async (ctx) => {
    ready(ctx);
    const good = target("good");
    const soon = target("expiring-leaf");
    const days = await ingested("dbdoctor_cert_days_left", [good, soon]);
    const after = await ingested('dbdoctor_cert_not_after_seconds{position="0"}', [good, soon]);
    for (const [instance, cert] of [
      [good, "server-good"],
      [soon, "server-expiring"],
    ] as const) {
      const expires = notAfter(cert);
      expect(Number(after.get(instance)?.[0]?.value[1]), instance).toBe(expires / 1000);
      // Whole days from the moment of the probe, which lies between the start of this test file and now.
      const possible = new Set([Math.floor((expires - started) / DAY), Math.floor((expires - Date.now()) / DAY)]);
      expect(possible, instance).toContain(Number(days.get(instance)?.[0]?.value[1]));
      expect(after.get(instance)?.[0]?.metric.subject).toBe("O=dbdoctor lab, CN=localhost");
    }
    expect(Number(days.get(soon)?.[0]?.value[1])).toBeLessThan(WARN_DAYS);
    expect(Number(days.get(good)?.[0]?.value[1])).toBeGreaterThan(WARN_DAYS);
  });

  it("sees both servers up with verified chains, the scrapes healthy, and the exporter's own metrics", async (ctx) => {
    ready(ctx);
    const both = [target("good"), target("expiring-leaf")];
    for (const q of ["dbdoctor_up", "dbdoctor_chain_verified", "dbdoctor_hostname_match", 'up{job="dbdoctor"}']) {
      const got = await ingested(q, both);
      for (const i of both)
        expect(
          got.get(i)?.map((s) => s.value[1]),
          `${q} ${i}`,
        ).toEqual(["1"]);
    }
    const legacy = await ingested('dbdoctor_tls_version_accepted{version=~"TLSv1|TLSv1.1"}', both);
    for (const i of both)
      expect(
        legacy.get(i)?.map((s) => s.value[1]),
        i,
      ).toEqual(["0", "0"]);
    const exporterInstance = exporter?.base.replace("http://", "") ?? "";
    await until(
      "the exporter's own metrics count the probes",
      async () =>
        Number((await query('sum(dbdoctor_exporter_probes_total{module="lab",result="up"})'))[0]?.value[1] ?? 0) >= 2,
      150_000,
    );
    const own = await ingested('up{job="dbdoctor_exporter"}', [exporterInstance]);
    expect(own.get(exporterInstance)?.[0]?.value[1]).toBe("1");
  });

  it("the README's alert rules: the expiring certificate alerts, nothing else does", async (ctx) => {
    ready(ctx);
    const soon = target("expiring-leaf");
    interface Alert {
      labels: Record<string, string>;
      state: string;
    }
    let alerts: Alert[] = [];
    await until(
      "PostgresCertificateExpiresSoon is active",
      async () => {
        const body = JSON.parse((await get(`${promBase}/api/v1/alerts`)).text) as { data: { alerts: Alert[] } };
        alerts = body.data.alerts;
        return alerts.some((a) => a.labels.alertname === "PostgresCertificateExpiresSoon");
      },
      150_000,
    );
    // Pending (its `for:` has not passed) or firing: active either way, and only for the expiring server.
    expect(alerts.map((a) => [a.labels.alertname, a.labels.instance])).toEqual([
      ["PostgresCertificateExpiresSoon", soon],
    ]);
    const rules = readFileSync(join(REPO, "docs/prometheus/alerts.yml"), "utf8");
    expect(readFileSync(join(REPO, "README.md"), "utf8")).toContain(rules);
  });
});

describe("--format openmetrics of server, check and audit --live against the lab", () => {
  it("each passes promtool and names the endpoint host:port, never the URL or its password", async (ctx) => {
    ready(ctx);
    if (!PROMTOOL) ctx.skip();
    const soon = target("expiring-leaf");
    const root = certPath("root-ca.crt");
    const url = `postgresql://app:${LAB_PASSWORD}@${soon}/postgres?sslmode=verify-full&sslrootcert=${root}`;
    const tree = join(dir, "tree");
    mkdirSync(tree);
    writeFileSync(join(tree, ".env"), `SKILLFLAW_DATABASE_URL=${url}\n`);
    const runs = {
      server: ["server", soon, "--sslrootcert", root],
      check: ["check", url, "--url-style", "libpq"],
      "audit --live": ["audit", tree, "--live"],
    };
    for (const [name, args] of Object.entries(runs)) {
      const r = await runCliAsync([...args, "--format", "openmetrics", "--fail-on", "never"], { killAfterMs: 120_000 });
      expect(r.status, `${name}: ${r.stderr}`).toBe(0);
      const check = promtoolCheck(r.stdout);
      expect(check.status, `${name}: ${check.output}`).not.toBe(1);
      expect(
        check.problems.filter((p) => p !== KNOWN_LINT),
        name,
      ).toEqual([]);
      expect(r.stdout, name).not.toContain(LAB_PASSWORD);
      const samples = parseSamples(r.stdout);
      const up = samples.filter((s) => s.name === "dbdoctor_up");
      expect(
        up.map((s) => [s.labels.endpoint, s.value]),
        name,
      ).toEqual([[soon, 1]]);
      const days = sampleValue(samples, "dbdoctor_cert_days_left", up[0]?.labels ?? {});
      expect(days, name).toBeLessThan(WARN_DAYS);
      if (name === "check")
        expect(sampleValue(samples, "dbdoctor_sslmode_ok", { sslmode: "verify-full" }), name).toBe(1);
    }
  });
});

describe("node_exporter's textfile collector", () => {
  it("reads `dbdoctor server --format openmetrics` written into its directory without a scrape error", async (ctx) => {
    ready(ctx);
    if (!NODE_EXPORTER) {
      console.warn("textfile test skipped: prometheus-node-exporter not found (the prometheus package recommends it)");
      ctx.skip();
    }
    const soon = target("expiring-leaf");
    const r = await runCliAsync(
      ["server", soon, "--sslrootcert", certPath("root-ca.crt"), "--format", "openmetrics", "--fail-on", "never"],
      { killAfterMs: 120_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const textfiles = join(dir, "textfile");
    mkdirSync(textfiles);
    writeFileSync(join(textfiles, "dbdoctor.prom"), r.stdout);
    const port = await freePort();
    nodeExporter = spawn(
      NODE_EXPORTER as string,
      [
        "--collector.disable-defaults",
        "--collector.textfile",
        `--collector.textfile.directory=${textfiles}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: "ignore" },
    );
    let text = "";
    await until("node_exporter answers", async () => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => null);
      text = res?.ok ? await res.text() : "";
      return text !== "";
    });
    nodeExporter.kill("SIGTERM");
    const samples = parseSamples(text);
    expect(sampleValue(samples, "node_textfile_scrape_error")).toBe(0);
    const cli = parseSamples(r.stdout);
    for (const name of ["dbdoctor_up", "dbdoctor_cert_days_left", "dbdoctor_cert_not_after_seconds"])
      expect(
        samples.filter((s) => s.name === name),
        name,
      ).toEqual(cli.filter((s) => s.name === name));
  });
});
