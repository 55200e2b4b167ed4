// Issue 18: CPU-heavy work is done before the network deadlines start. A root bundle of 10,000 certificates (11 MB,
// the case: every TLS mode once said "timeout expired" and blamed a firewall while psql connected) against
// the lab's good server: dbdoctor agrees with psql on every mode, with a short --timeout, and no mode timed out.

import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certPath, LAB_PASSWORD, type Lab, psqlConnect, psqlMajor, startLab } from "../../scripts/lab/index.js";
import { SSL_MODES } from "../../src/model/sslmode.js";
import type { Report } from "../../src/report/report.js";
import { runCliAsync } from "../helpers/cli.js";

describe("a root bundle of 10,000 certificates", () => {
  let lab: Lab;
  let dir: string;
  let bundle: string;
  let major: number;
  beforeAll(async () => {
    major = await psqlMajor();
    lab = await startLab(["good"]);
    dir = await mkdtemp(join(tmpdir(), "dbdoctor-bundle-"));
    bundle = join(dir, "bundle.crt");
    // Ten thousand CA certificates (another CA, repeated: parsing costs the same), the lab's root last.
    const other = readFileSync(certPath("other-ca.crt"), "utf8");
    await writeFile(bundle, other.repeat(9999) + readFileSync(certPath("root-ca.crt"), "utf8"));
  }, 120_000);
  afterAll(async () => {
    await lab?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("is parsed before the clock starts: every mode agrees with psql, none timed out", async () => {
    const server = lab.servers.get("good");
    if (!server) throw new Error("the lab's good server did not start");
    const settings = { host: "localhost", sslrootcert: bundle };
    const conn = `host=localhost port=${server.port} user=app dbname=postgres sslmode=verify-full sslrootcert=${bundle}`;
    const run = await runCliAsync(
      ["check", conn, "--format", "json", "--auth-probe", "all", "--libpq", String(major), "--timeout", "2s"],
      { env: { HOME: dir, PGPASSWORD: LAB_PASSWORD }, killAfterMs: 120_000, measureRss: true },
    );
    expect(run.signal).toBeNull();
    expect(run.status, run.stderr).not.toBe(2);
    const report = JSON.parse(run.stdout) as Report;
    let agree = 0;
    for (const mode of SSL_MODES) {
      const m = report.modes.find((x) => x.sslmode === mode);
      expect(m?.code, `${mode}: ${m?.message}`).not.toBe("timeout");
      // psql loads the bundle inside its own connect_timeout: give it room on a busy machine.
      const psql = await psqlConnect(
        { host: "localhost", port: server.port },
        { settings: { ...settings, sslmode: mode }, user: "app", password: LAB_PASSWORD },
        { home: dir, timeoutS: 60 },
      );
      expect(m?.ok, `${mode}: psql ${psql.ok} (${psql.stderr.trim()}), dbdoctor ${m?.ok} (${m?.message})`).toBe(
        psql.ok,
      );
      agree++;
    }
    // For the record, never asserted: the time to exit depends on the machine.
    console.info(
      `10,000-certificate bundle: ${agree}/${SSL_MODES.length} modes agree with psql ${major}; dbdoctor exited in ${run.wallMs} ms, peak RSS ${Math.round((run.maxRssKiB ?? 0) / 1024)} MiB`,
    );
    expect(report.modes.find((x) => x.sslmode === "verify-full")?.ok).toBe(true);
    // Generous: the bundle is read, parsed and turned into one TLS context, each once.
    expect(run.maxRssKiB ?? 0).toBeLessThan(600 * 1024);
  }, 180_000);
});
