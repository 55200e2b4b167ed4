// `dbdoctor check` as a process, the whole pipeline (connection string -> files -> probe -> matrix), against
// real lab servers and hostile ones. Its modes[].ok must agree with psql under the same settings and HOME,
// both with --auth-probe all and with the default safe policy (where most modes never see the password).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certPath, LAB_PASSWORD, type Lab, psqlMajor, startLab } from "../../scripts/lab/index.js";
import { SSL_MODES } from "../../src/model/sslmode.js";
import type { Report } from "../../src/report/report.js";
import { runCliAsync } from "../helpers/cli.js";
import { type HostileKind, startHostile, type TestServer } from "../helpers/hostile.js";
import { psqlWithHome } from "../helpers/psql-oracle.js";
import { assertValidReport } from "../helpers/schema.js";

const SCENARIOS = ["good", "wrong-host", "ssl-off", "hostssl-only", "expired", "intermediate-missing", "client-cert"];

describe("dbdoctor check against the lab", () => {
  let lab: Lab;
  let home: string;
  let major: number;
  beforeAll(async () => {
    major = await psqlMajor();
    lab = await startLab(SCENARIOS);
    home = await mkdtemp(join(tmpdir(), "dbdoctor-check-home-"));
  }, 120_000);
  afterAll(async () => {
    await lab?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  const settingsFor = (name: string): { user: string; password?: string; extra: Record<string, string> } =>
    name === "client-cert"
      ? { user: "dbdoctor", extra: { sslcert: certPath("client-good.crt"), sslkey: certPath("client-good.key") } }
      : { user: "app", password: LAB_PASSWORD, extra: {} };

  for (const probe of ["all", "safe"] as const) {
    it(`agrees with psql on every mode (--auth-probe ${probe})`, async () => {
      let compared = 0;
      let undecided = 0;
      for (const name of SCENARIOS) {
        const server = lab.servers.get(name);
        if (!server) throw new Error(`lab server ${name} did not start`);
        const s = settingsFor(name);
        const settings = { host: "localhost", sslrootcert: certPath("root-ca.crt"), ...s.extra };
        const conn = Object.entries({
          ...settings,
          port: String(server.port),
          user: s.user,
          dbname: "postgres",
          sslmode: "verify-full",
        })
          .map(([k, v]) => `${k}=${v}`)
          .join(" ");
        const env = { HOME: home, ...(s.password ? { PGPASSWORD: s.password } : {}) };
        const run = await runCliAsync(
          ["check", conn, "--format", "json", "--auth-probe", probe, "--libpq", String(major), "--timeout", "5s"],
          { env },
        );
        expect(run.status, `${name}: ${run.stderr}`).not.toBe(2);
        assertValidReport(run.stdout);
        const report = JSON.parse(run.stdout) as Report;
        const psql = await Promise.all(
          SSL_MODES.map((mode) =>
            psqlWithHome(
              { host: "localhost", port: server.port },
              { ...settings, sslmode: mode },
              s.user,
              home,
              s.password,
            ),
          ),
        );
        SSL_MODES.forEach((mode, i) => {
          const m = report.modes.find((x) => x.sslmode === mode);
          // Under safe, a mode whose password was held back and that nothing else settles is undecided (null),
          // and says so; every decided mode must agree with libpq.
          if (probe === "safe" && m?.ok === null) {
            expect(m.credentialsSent).toBe(false);
            expect(m.message).toMatch(/not sent under --auth-probe safe/);
            undecided++;
            return;
          }
          expect(m?.ok, `${name} ${mode} (${m?.message ?? ""}) vs psql: ${psql[i]?.stderr}`).toBe(psql[i]?.ok);
          compared++;
        });
        // safe: the password travels only under the configured mode or over a verified TLS channel, so never
        // under disable (plaintext only), and never in an unencrypted session.
        if (probe === "safe") {
          expect(report.modes.find((x) => x.sslmode === "disable")?.credentialsSent).toBe(false);
          for (const m of report.modes)
            if (m.credentialsSent && m.sslmode !== "verify-full" && m.ok) expect(m.encrypted).toBe(true);
        }
        expect(run.status).toBe(report.findings.some((f) => f.severity === "error") ? 1 : 0);
      }
      expect(compared + undecided).toBe(SCENARIOS.length * SSL_MODES.length);
      if (probe === "all") expect(undecided).toBe(0);
      // safe still decides most modes: the configured mode's result settles the ones that stopped at the password.
      else expect(compared).toBeGreaterThan(undecided);
    }, 240_000);
  }

  it("names the fix for a host-name mismatch in the verdict", async () => {
    const server = lab.servers.get("wrong-host");
    const conn = `host=localhost port=${server?.port} user=app dbname=postgres sslmode=verify-full sslrootcert=${certPath("root-ca.crt")}`;
    const run = await runCliAsync(["check", conn, "--format", "json", "--auth-probe", "all"], {
      env: { HOME: home, PGPASSWORD: LAB_PASSWORD },
    });
    const report = JSON.parse(run.stdout) as Report;
    expect(run.status).toBe(1);
    expect(report.verdict.configuredModeOk).toBe(false);
    expect(report.verdict.strongestOkMode).toBe("verify-ca");
    expect(report.verdict.summary).toContain("db.wrong.example");
    expect(report.modes.find((m) => m.sslmode === "verify-full")?.message).toBe(
      'server certificate for "db.wrong.example" does not match host name "localhost"',
    );
  }, 60_000);
});

describe("dbdoctor check against hostile servers", () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  for (const kind of ["silent", "garbage", "inject", "close", "N", "E"] satisfies HostileKind[]) {
    it(`${kind}: clean findings, exit 1, within the timeout`, async () => {
      const server = await startHostile(kind);
      servers.push(server);
      const conn = `postgresql://app:${encodeURIComponent("s3cret-Hostile-pw")}@127.0.0.1:${server.port}/db?sslmode=require`;
      const run = await runCliAsync(["check", conn, "--url-style", "libpq", "--timeout", "1s", "--format", "json"]);
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).toBe("");
      expect(run.stdout).not.toContain("s3cret-Hostile-pw");
      assertValidReport(run.stdout);
      const report = JSON.parse(run.stdout) as Report;
      expect(report.modes).toHaveLength(6);
      expect(report.modes.find((m) => m.sslmode === "require")?.ok).toBe(false);
    }, 30_000);
  }
});
