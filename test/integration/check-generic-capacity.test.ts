// Issue 13: a plain libpq connection string given as an argument is judged as generic libpq, not with SkillFlaw's
// default pool (50 connections per process); and SkillFlaw's capacity shortfall is a risk under load (a warning),
// not a refused connection. A healthy server with a small max_connections: `check` exits 0 either way.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certPath, LAB_PASSWORD, type LabServer, startServer } from "../../scripts/lab/index.js";
import type { Report } from "../../src/report/report.js";
import { runCliAsync } from "../helpers/cli.js";
import { assertValidReport } from "../helpers/schema.js";

let server: LabServer;
let home: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "dbdoctor-capacity-home-"));
  server = await startServer({
    name: "small-max-connections",
    ssl: true,
    serverCert: certPath("server-good.crt"),
    serverKey: certPath("server-good.key"),
    settings: { max_connections: "20", superuser_reserved_connections: "2" },
    hba: ["host all all 127.0.0.1/32 scram-sha-256"],
    users: [{ name: "app", password: LAB_PASSWORD, method: "scram-sha-256" }],
    databases: ["app"],
  });
});

afterAll(async () => {
  await server?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

const codes = (r: Report) => r.findings.map((f) => `${f.code}:${f.severity}`);

describe("check on a healthy server with max_connections 20", () => {
  it("a postgresql:// argument is generic libpq: no SkillFlaw pool rules, exit 0", async () => {
    const url = `postgresql://app:${LAB_PASSWORD}@localhost:${server.port}/app?sslmode=verify-full&sslrootcert=${certPath("root-ca.crt")}`;
    const run = await runCliAsync(["check", url, "--format", "json"], { env: { HOME: home } });
    expect(run.status, `${run.stderr}\n${run.stdout.slice(0, 2000)}`).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    assertValidReport(report);
    expect(report.modes.find((m) => m.sslmode === "verify-full")?.ok).toBe(true);
    expect(codes(report).filter((c) => c.startsWith("ops."))).toEqual([]);
  });

  it("the same URL in SKILLFLAW_DATABASE_URL: SkillFlaw's default pool (50) exceeds the slots as a warning, exit 0", async () => {
    const env = join(home, ".env");
    writeFileSync(
      env,
      `SKILLFLAW_DATABASE_URL=postgresql+psycopg://app:${LAB_PASSWORD}@localhost:${server.port}/app?sslmode=verify-full&sslrootcert=${certPath("root-ca.crt")}\n`,
    );
    const run = await runCliAsync(["check", "--env-file", env, "--format", "json"], { env: { HOME: home } });
    expect(run.status, `${run.stderr}\n${run.stdout.slice(0, 2000)}`).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    assertValidReport(report);
    expect(codes(report)).toContain("ops.capacity-exceeded:warning");
    // --app libpq turns SkillFlaw's rules off for the same file.
    const generic = await runCliAsync(["check", "--env-file", env, "--app", "libpq", "--format", "json"], {
      env: { HOME: home },
    });
    expect(codes(JSON.parse(generic.stdout) as Report).filter((c) => c.startsWith("ops."))).toEqual([]);
  });
});
