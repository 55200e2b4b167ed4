// dbdoctor instances through the built CLI (run `node scripts/build.mjs` first) against a lab server: SKILLFLAW_*
// variables from an --env-file, the JSON report validated against docs/report.schema.json, the text report's
// Operations section, exit codes, and no password in any output.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certPath, LAB_PASSWORD, type LabServer, startServer } from "../../scripts/lab/index.js";
import { LAB_SUPERUSER } from "../../scripts/lab/template.js";
import type { Report } from "../../src/report/report.js";
import { runCli } from "../helpers/cli.js";
import { assertValidReport } from "../helpers/schema.js";

const SCHEMA_SQL = readFileSync(new URL("../../fixtures/ops/skillflaw-schema.sql", import.meta.url), "utf8");
let server: LabServer;
let dir: string;
const peers: pg.Client[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dbdoctor-instances-e2e-"));
  server = await startServer({
    name: "instances-e2e",
    ssl: true,
    serverCert: certPath("server-good.crt"),
    serverKey: certPath("server-good.key"),
    settings: { max_connections: "10" },
    hba: ["host all all 127.0.0.1/32 scram-sha-256"],
    users: [{ name: "app", password: LAB_PASSWORD, method: "scram-sha-256" }],
    databases: ["skillflaw"],
  });
  const admin = new pg.Client({
    host: server.socketDir,
    port: server.port,
    user: LAB_SUPERUSER,
    database: "skillflaw",
  });
  await admin.connect();
  await admin.query("ALTER DATABASE skillflaw OWNER TO app");
  await admin.query("ALTER SCHEMA public OWNER TO app");
  await admin.end();
  for (const name of ["skillflaw-1", "skillflaw-2"]) {
    const c = new pg.Client({
      host: "127.0.0.1",
      port: server.port,
      user: "app",
      password: LAB_PASSWORD,
      database: "skillflaw",
      application_name: name,
      ssl: { rejectUnauthorized: false },
    });
    c.on("error", () => {});
    await c.connect();
    peers.push(c);
  }
  await peers[0]?.query(SCHEMA_SQL);
}, 120_000);

afterAll(async () => {
  await Promise.all(peers.map((c) => c.end().catch(() => {})));
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function envFile(extra: string): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.env`);
  const url = `postgresql://app:${LAB_PASSWORD}@localhost:${server.port}/skillflaw?sslmode=verify-full&sslrootcert=${certPath("root-ca.crt")}`;
  writeFileSync(file, `SKILLFLAW_DATABASE_URL=${url}\n${extra}`);
  return file;
}

const env = () => ({ HOME: dir });

describe("dbdoctor instances", () => {
  it("JSON: valid against the schema; clients grouped, schema complete, pool from the .env file; no password", () => {
    const file = envFile(
      `SKILLFLAW_DB_CONNECTION_SETTINGS='{"pool_size": 1, "max_overflow": 1}'\nSKILLFLAW_WORKERS=2\n`,
    );
    const r = runCli(["instances", "--env-file", file, "--format", "json"], { env: env() });
    expect(r.stderr).toBe("");
    assertValidReport(r.stdout);
    expect(r.stdout).not.toContain(LAB_PASSWORD);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.command).toBe("instances");
    const ops = report.ops;
    if (ops?.status !== "completed") throw new Error(`ops did not complete: ${JSON.stringify(ops)}`);
    expect(ops.value.pool).toMatchObject({
      poolSize: 1,
      maxOverflow: 1,
      poolPrePing: false,
      workers: 2,
      perProcess: 2,
    });
    expect(ops.value.workers).toBe(2);
    const live = ops.value.live;
    if (live.status !== "completed") throw new Error(`live did not complete: ${JSON.stringify(live)}`);
    expect(live.value.session).toMatchObject({ user: "app", database: "skillflaw", ssl: true, sslmode: "verify-full" });
    expect(live.value.schema).toMatchObject({ status: "completed", value: { state: "complete" } });
    const groups = live.value.clients?.status === "completed" ? live.value.clients.value.groups : [];
    expect(groups.map((g) => [g.applicationName, g.count, g.ssl]).sort()).toEqual([
      ["skillflaw-1", 1, true],
      ["skillflaw-2", 1, true],
    ]);
    // The partial JSON is a warning, nothing is an error: exit 0 under the default --fail-on error.
    expect(report.findings.map((f) => f.code)).toContain("ops.pool-settings-partial");
    expect(r.status).toBe(0);
  });

  it("text: an Operations section with the client table; 3 instances × 4 workers × 50 exceed max_connections 10", () => {
    const r = runCli(["instances", "--env-file", envFile(""), "--instances", "3", "--workers", "4"], { env: env() });
    // A capacity shortfall is a risk under load, a warning (an error only when the server refuses connections now).
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Operations");
    expect(r.stdout).toMatch(/skillflaw-1\s+idle\s+TLSv1\.[23]\s+1/);
    expect(r.stdout).toContain("3 instances × 4 workers");
    expect(r.stdout).toContain("ops.capacity-exceeded");
    expect(r.stdout).not.toContain(LAB_PASSWORD);
  });

  it("markdown and junit render the same report", () => {
    const md = runCli(["instances", "--env-file", envFile(""), "--format", "markdown"], { env: env() });
    expect(md.stdout).toContain("### Operations");
    expect(md.stdout).toContain("| client | user | application | state | SSL | sessions |");
    const junit = runCli(["instances", "--env-file", envFile(""), "--format", "junit"], { env: env() });
    expect(junit.stdout).toContain("dbdoctor.instances.ops");
  });

  it("a server that cannot be reached: the live checks are not passed, exit 1, within --timeout", () => {
    const r = runCli(
      ["instances", `postgresql://app@127.0.0.1:1/skillflaw?sslmode=disable`, "--format", "json", "--timeout", "2s"],
      { env: env() },
    );
    assertValidReport(r.stdout);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.ops?.status === "completed" && report.ops.value.live.status).toBe("skipped");
    expect(report.findings.map((f) => f.code)).toContain("ops.live-unavailable");
    expect(r.status).toBe(1);
  });

  it("--offline: pools and provider only; a bad --instances is a usage error (exit 2)", () => {
    const r = runCli(
      [
        "instances",
        "postgresql://app@x.neon.tech/db?sslmode=require",
        "--offline",
        "--format",
        "json",
        "--libpq",
        "13",
      ],
      { env: env() },
    );
    assertValidReport(r.stdout);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.ops?.status === "completed" && report.ops.value.provider?.id).toBe("neon");
    expect(report.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(["ops.cloud-provider", "ops.cloud-sslmode"]),
    );
    const bad = runCli(["instances", "host=x", "--instances", "0"], { env: env() });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--instances 0 is not a positive integer");
  });
});
