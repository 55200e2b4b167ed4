// `dbdoctor exporter` as a process, on 127.0.0.1, against real sockets: a target outside its module's patterns is
// refused with HTTP 400 and never dialled (a recording socket proves it, and proves it would have seen a dial); a
// silent server is answered within --timeout (plus generous slack) and leaves no connection behind; probes beyond
// the bound are turned away; SIGTERM finishes the running probe, answers it and exits 0.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certPath } from "../../scripts/lab/index.js";
import { CLI, runCli } from "../helpers/cli.js";
import { get, killExporters, startExporter as start, until } from "../helpers/exporter.js";
import { NO_PROMTOOL, PROMTOOL, parseSamples, promtoolCheck, sampleValue } from "../helpers/exposition.js";
import { startTlsServer } from "../helpers/hostile.js";

const dir = mkdtempSync(join(tmpdir(), "dbdoctor-exporter-e2e-"));

/** A TCP server that records every connection and never says a word. */
interface Recorder {
  port: number;
  accepted: number;
  open: Set<Socket>;
  server: Server;
}

async function recorder(): Promise<Recorder> {
  const r: Recorder = { port: 0, accepted: 0, open: new Set(), server: createServer() };
  r.server.on("connection", (s) => {
    r.accepted++;
    r.open.add(s);
    s.on("close", () => r.open.delete(s));
    s.on("error", () => undefined);
    s.resume(); // read (and drop) what arrives, so the peer's close is seen
  });
  await new Promise<void>((resolve) => r.server.listen(0, "127.0.0.1", resolve));
  const addr = r.server.address();
  r.port = typeof addr === "object" && addr ? addr.port : 0;
  return r;
}

async function closeRecorder(r: Recorder | undefined): Promise<void> {
  if (!r) return;
  for (const s of r.open) s.destroy();
  await new Promise<void>((resolve) => r.server.close(() => resolve()));
}

let silent: Recorder | undefined;
let dialled: Recorder | undefined;

beforeAll(async () => {
  silent = await recorder();
  dialled = await recorder();
});

afterAll(async () => {
  killExporters();
  await closeRecorder(silent);
  await closeRecorder(dialled);
  rmSync(dir, { recursive: true, force: true });
});

const built = () => existsSync(CLI);

describe("dbdoctor exporter", () => {
  it("refuses a target outside its module's patterns with HTTP 400 and dials nothing", async (ctx) => {
    if (!built()) {
      console.warn("exporter e2e skipped: the CLI is not built (npm run build)");
      ctx.skip();
    }
    const rec = dialled as Recorder;
    const ex = await start(
      dir,
      `modules:\n  strict:\n    allowed_targets: ["db.internal:5432", "10.0.0.0/8:*"]\n  open:\n    allowed_targets: ["127.0.0.1:${rec.port}"]\n`,
      "--timeout",
      "2s",
    );
    const probe = (query: string) => get(`${ex.base}/probe?${query}`);
    const refusals = [
      `target=127.0.0.1:${rec.port}&module=strict`,
      `target=localhost:${rec.port}&module=strict`, // a name that resolves to the recorder
      `target=localhost:${rec.port}&module=open`, // open allows the address, not a name that resolves to it
      `target=2130706433:${rec.port}&module=open`, // getaddrinfo would read 127.0.0.1
      `target=app:pw@127.0.0.1:${rec.port}&module=open`,
      `target=127.0.0.1:${rec.port}&target=127.0.0.1:${rec.port}&module=open`,
      `target=127.0.0.1:${rec.port}&module=nope`,
      `module=open`,
    ];
    for (const q of refusals) {
      const r = await probe(q);
      expect(r.status, q).toBe(400);
      expect(r.text, q).not.toContain("dbdoctor_");
    }
    // Any dial happens before the answer; the pause only lets a stray connection land in our accept queue.
    await sleep(500);
    expect(rec.accepted).toBe(0);
    const own = parseSamples((await get(`${ex.base}/metrics`)).text);
    expect(
      sampleValue(own, "dbdoctor_exporter_refused_total", { reason: "target_not_allowed" }) ?? 0,
    ).toBeGreaterThanOrEqual(3);
    // The control: the same recorder, allowed, is dialled (and answers nothing: down).
    const allowedProbe = await probe(`target=127.0.0.1:${rec.port}&module=open`);
    expect(allowedProbe.status).toBe(200);
    expect(sampleValue(parseSamples(allowedProbe.text), "dbdoctor_up", { endpoint: `127.0.0.1:${rec.port}` })).toBe(0);
    expect(rec.accepted).toBeGreaterThan(0);
    ex.child.kill("SIGTERM");
    expect(await ex.exited).toBe(0);
  });

  it("answers a silent server within --timeout (plus slack), as down, and leaves none of its connections open", async (ctx) => {
    if (!built()) ctx.skip();
    const rec = silent as Recorder;
    const timeoutMs = 3000;
    const ex = await start(dir, `modules:\n  m:\n    allowed_targets: ["127.0.0.1:*"]\n`, "--timeout", "3s");
    const t0 = Date.now();
    const r = await get(`${ex.base}/probe?target=127.0.0.1:${rec.port}&module=m`);
    const elapsed = Date.now() - t0;
    console.log(`exporter: a silent server answered in ${elapsed} ms with --timeout ${timeoutMs} ms`);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseSamples(r.text);
    expect(sampleValue(samples, "dbdoctor_up", { endpoint: `127.0.0.1:${rec.port}` })).toBe(0);
    expect(elapsed).toBeLessThan(timeoutMs + 15_000); // a generous deadline, not a timing
    expect(rec.accepted).toBeGreaterThan(0);
    // The probe did not outlive its answer: every connection it opened is closed.
    await until("the silent server has no open connection", () => rec.open.size === 0, 10_000);
    const own = parseSamples((await get(`${ex.base}/metrics`)).text);
    expect(sampleValue(own, "dbdoctor_exporter_probes_total", { module: "m", result: "down" })).toBe(1);
    ex.child.kill("SIGTERM");
    expect(await ex.exited).toBe(0);
  });

  it("bounds concurrent probes: one runs, one waits, the next is turned away with 503", async (ctx) => {
    // --timeout 10s: a probe of the silent server holds its slot for seconds, long enough to see the queue.
    if (!built()) ctx.skip();
    const rec = silent as Recorder;
    const ex = await start(
      dir,
      `modules:\n  m:\n    allowed_targets: ["127.0.0.1:*"]\n`,
      "--timeout",
      "10s",
      "--concurrency",
      "1",
    );
    const url = `${ex.base}/probe?target=127.0.0.1:${rec.port}&module=m`;
    const inFlight = async () =>
      sampleValue(parseSamples((await get(`${ex.base}/metrics`)).text), "dbdoctor_exporter_probes_in_flight");
    const first = get(url);
    await until("one probe runs", async () => (await inFlight()) === 1);
    const second = get(url);
    await until(
      "one request waits",
      async () =>
        sampleValue(parseSamples((await get(`${ex.base}/metrics`)).text), "dbdoctor_exporter_probes_queued") === 1,
    );
    const third = await get(url);
    expect(third.status).toBe(503);
    expect((await first).status).toBe(200);
    // The waiter either got the slot in time (and was probed) or its deadline passed first (503): never a hang.
    expect([200, 503]).toContain((await second).status);
    const own = parseSamples((await get(`${ex.base}/metrics`)).text);
    expect(sampleValue(own, "dbdoctor_exporter_refused_total", { reason: "overloaded" })).toBeGreaterThanOrEqual(1);
    ex.child.kill("SIGTERM");
    expect(await ex.exited).toBe(0);
  });

  it("SIGTERM: the running probe finishes and is answered, new connections are refused, exit 0", async (ctx) => {
    if (!built()) ctx.skip();
    const rec = silent as Recorder;
    const ex = await start(dir, `modules:\n  m:\n    allowed_targets: ["127.0.0.1:*"]\n`, "--timeout", "10s");
    const running = get(`${ex.base}/probe?target=127.0.0.1:${rec.port}&module=m`);
    await until(
      "the probe runs",
      async () =>
        sampleValue(parseSamples((await get(`${ex.base}/metrics`)).text), "dbdoctor_exporter_probes_in_flight") === 1,
    );
    ex.child.kill("SIGTERM");
    await until("the exporter says it is stopping", () => ex.stderr().includes("SIGTERM: stopping"));
    await expect(fetch(`${ex.base}/metrics`, { signal: AbortSignal.timeout(10_000) })).rejects.toThrow();
    const answered = await running;
    expect(answered.status).toBe(200);
    expect(answered.text).toContain("dbdoctor_up{");
    expect(await ex.exited).toBe(0);
    expect(ex.stderr()).toContain("stopped");
  });

  it("a module's min_tls_version is the client's minimum: a server below it is down, with the finding that says so", async (ctx) => {
    if (!built()) ctx.skip();
    const tls12 = await startTlsServer({
      cert: readFileSync(certPath("server-good.crt")),
      key: readFileSync(certPath("server-good.key")),
      minVersion: "TLSv1.2",
      maxVersion: "TLSv1.2",
    });
    try {
      const ex = await start(
        dir,
        `modules:\n  modern:\n    allowed_targets: ["127.0.0.1:*"]\n    min_tls_version: TLSv1.3\n  any:\n    allowed_targets: ["127.0.0.1:*"]\n`,
      );
      const endpoint = { endpoint: `127.0.0.1:${tls12.port}` };
      const modern = parseSamples((await get(`${ex.base}/probe?target=127.0.0.1:${tls12.port}&module=modern`)).text);
      expect(sampleValue(modern, "dbdoctor_up", endpoint)).toBe(0);
      expect(sampleValue(modern, "dbdoctor_finding", { code: "tls.version-range-unmet", severity: "error" })).toBe(1);
      const any = parseSamples((await get(`${ex.base}/probe?target=127.0.0.1:${tls12.port}&module=any`)).text);
      expect(sampleValue(any, "dbdoctor_up", endpoint)).toBe(1);
      expect(sampleValue(any, "dbdoctor_tls_version_accepted", { ...endpoint, version: "TLSv1.2" })).toBe(1);
      expect(sampleValue(any, "dbdoctor_tls_version_accepted", { ...endpoint, version: "TLSv1.3" })).toBe(0);
      ex.child.kill("SIGTERM");
      expect(await ex.exited).toBe(0);
    } finally {
      await tls12.close();
    }
  });

  it("its own /metrics pass promtool without a lint note", async (ctx) => {
    if (!built()) ctx.skip();
    if (!PROMTOOL) {
      console.warn(NO_PROMTOOL);
      ctx.skip();
    }
    const ex = await start(dir, `modules:\n  m:\n    allowed_targets: ["127.0.0.1:*"]\n`);
    const r = await get(`${ex.base}/metrics`);
    expect(r.status).toBe(200);
    const check = promtoolCheck(r.text);
    expect(check.status, check.output).toBe(0);
    expect((await get(`${ex.base}/nope`)).status).toBe(404);
    expect((await fetch(`${ex.base}/metrics`, { method: "POST" })).status).toBe(405);
    ex.child.kill("SIGINT");
    expect(await ex.exited).toBe(0);
  });

  it("a bad modules file or option is a usage error naming the file and line (exit 2), before it listens", (ctx) => {
    if (!built()) ctx.skip();
    const path = join(dir, "bad.yml");
    writeFileSync(path, "modules:\n  m:\n    allowed_targets: ['db:5432']\n    min_tls_version: SSLv3\n");
    const bad = runCli(["exporter", "--config", path, "--listen", "127.0.0.1:0"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${path}:4: modules.m.min_tls_version is not a TLS version`);
    expect(bad.stderr).not.toContain("listening");
    expect(runCli(["exporter"]).status).toBe(2);
    const listen = runCli(["exporter", "--config", path, "--listen", "everywhere"]);
    expect(listen.status).toBe(2);
    expect(listen.stderr).toContain('--listen "everywhere" is not HOST:PORT');
  });
});
