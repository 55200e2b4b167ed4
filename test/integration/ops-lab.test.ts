// The operations stage against real PostgreSQL: concurrent clients grouped from pg_stat_activity/pg_stat_ssl as
// SkillFlaw's own (non-superuser) role sees them, what stays hidden without pg_read_all_stats, the migration
// advisory lock, connection slots on a small max_connections, the lab's full server, and SkillFlaw's schema
// created by fixtures/ops/skillflaw-schema.sql (complete, one table dropped, empty). The stage's facts are judged by
// the same rules pass the engine runs.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certPath, LAB_PASSWORD, type LabServer, SCENARIOS, startServer } from "../../scripts/lab/index.js";
import { LAB_SUPERUSER } from "../../scripts/lab/template.js";
import type { Finding } from "../../src/model/finding.js";
import type { StageResult } from "../../src/model/stage.js";
import { runOpsStage as measure, type OpsContext } from "../../src/ops/stage.js";
import type { LiveFacts, OpsFacts } from "../../src/ops/types.js";
import { judge } from "../../src/rules/registry.js";

const SCHEMA_SQL = readFileSync(new URL("../../fixtures/ops/skillflaw-schema.sql", import.meta.url), "utf8");
const MAX_CONNECTIONS = 12;
const LOCK_KEY = "5503801610002526071"; // 0x4C616E67666C6F77, SkillFlaw's migration lock

let server: LabServer;
let home: string;
const opened: pg.Client[] = [];

async function superuser(database: string): Promise<pg.Client> {
  const c = new pg.Client({ host: server.socketDir, port: server.port, user: LAB_SUPERUSER, database });
  await c.connect();
  return c;
}

async function client(user: string, database: string, applicationName: string, ssl: boolean): Promise<pg.Client> {
  const c = new pg.Client({
    host: "127.0.0.1",
    port: server.port,
    user,
    password: LAB_PASSWORD,
    database,
    application_name: applicationName,
    ssl: ssl ? { rejectUnauthorized: false } : false,
  });
  c.on("error", () => {});
  await c.connect();
  opened.push(c);
  return c;
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "dbdoctor-ops-home-"));
  server = await startServer({
    name: "ops",
    ssl: true,
    serverCert: certPath("server-good.crt"),
    serverKey: certPath("server-good.key"),
    settings: { max_connections: String(MAX_CONNECTIONS), superuser_reserved_connections: "2" },
    hba: ["host all all 127.0.0.1/32 scram-sha-256"],
    users: [
      { name: "app", password: LAB_PASSWORD, method: "scram-sha-256" },
      { name: "other", password: LAB_PASSWORD, method: "scram-sha-256" },
      { name: "monitor", password: LAB_PASSWORD, method: "scram-sha-256" },
    ],
    databases: ["skillflaw", "partialdb", "emptydb"],
  });
  const admin = await superuser("postgres");
  await admin.query("GRANT pg_read_all_stats TO monitor");
  for (const db of ["skillflaw", "partialdb"]) await admin.query(`ALTER DATABASE ${db} OWNER TO app`);
  await admin.end();
  for (const db of ["skillflaw", "partialdb"]) {
    const s = await superuser(db);
    await s.query("ALTER SCHEMA public OWNER TO app");
    await s.end();
    // SkillFlaw's own role creates its tables, as SkillFlaw does on its first start.
    const a = new pg.Client({
      host: "127.0.0.1",
      port: server.port,
      user: "app",
      password: LAB_PASSWORD,
      database: db,
    });
    await a.connect();
    await a.query(SCHEMA_SQL);
    if (db === "partialdb") await a.query("DROP TABLE vertex_build");
    await a.end();
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(opened.map((c) => c.end().catch(() => {})));
  await server?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

function ctx(over: Partial<OpsContext> & { values?: Record<string, string> }): OpsContext {
  const { values, ...rest } = over;
  return {
    hosts: [{ host: "localhost", port: String(server.port), kind: "dns" }],
    configuredMode: "verify-full",
    fileVars: {},
    env: {},
    home,
    major: 17,
    timeoutMs: 5000,
    instances: 1,
    offline: false,
    authProbe: "safe",
    ...rest,
    values: {
      host: "localhost",
      port: String(server.port),
      user: "app",
      password: LAB_PASSWORD,
      dbname: "skillflaw",
      sslmode: "verify-full",
      sslrootcert: certPath("root-ca.crt"),
      ...values,
    },
  };
}

/** The stage's facts and the findings the rules pass makes of them, as `dbdoctor instances` reports them. */
async function runOpsStage(c: OpsContext): Promise<{ result: StageResult<OpsFacts>; findings: Finding[] }> {
  const result = await measure(c);
  const findings =
    result.status === "completed" ? judge({ command: "instances", now: new Date(), ops: result.value }) : [];
  return { result, findings };
}

function liveOf(r: { result: StageResult<OpsFacts> }): LiveFacts {
  expect(r.result.status).toBe("completed");
  const live = r.result.status === "completed" ? r.result.value.live : undefined;
  if (live?.status !== "completed") throw new Error(`live part did not run: ${JSON.stringify(live)}`);
  return live.value;
}

const codes = (fs: Finding[]) => fs.map((f) => f.code);

describe("dbdoctor instances' view of the clients", () => {
  it("groups concurrent sessions by address, user, application and state, with SSL from pg_stat_ssl", async () => {
    await client("app", "skillflaw", "skillflaw-a", true);
    await client("app", "skillflaw", "skillflaw-a", true);
    await client("app", "skillflaw", "skillflaw-b", false);
    await client("other", "skillflaw", "other-app", true);
    await client("app", "postgres", "elsewhere", true); // another database: not SkillFlaw's
    const r = await runOpsStage(ctx({ listClients: true }));
    const live = liveOf(r);
    expect(live.session).toMatchObject({ user: "app", database: "skillflaw", ssl: true });
    const clients = live.clients?.status === "completed" ? live.clients.value : null;
    expect(clients).not.toBeNull();
    const groups = clients?.groups ?? [];
    const a = groups.find((g) => g.applicationName === "skillflaw-a");
    expect(a).toMatchObject({
      clientAddr: "127.0.0.1",
      usename: "app",
      state: "idle",
      ssl: true,
      count: 2,
      hidden: false,
    });
    expect(a?.sslVersion).toMatch(/^TLSv1\.[23]$/);
    expect(groups.find((g) => g.applicationName === "skillflaw-b")).toMatchObject({ ssl: false, count: 1 });
    // Another user's session, seen by SkillFlaw's non-superuser role: counted, details hidden.
    const other = groups.find((g) => g.usename === "other");
    expect(other).toMatchObject({
      applicationName: "other-app",
      clientAddr: null,
      state: null,
      ssl: null,
      hidden: true,
      count: 1,
    });
    expect(groups.some((g) => g.applicationName === "elsewhere")).toBe(false);
    expect(groups.some((g) => g.applicationName === "dbdoctor")).toBe(false);
    expect(clients?.total).toBe(4);
    expect(clients?.hiddenSessions).toBe(1);
    expect(clients?.canReadAllStats).toBe(false);
    const hidden = r.findings.find((f) => f.code === "ops.clients-hidden");
    expect(hidden?.message).toContain("1 of 4 other sessions");
    const plain = r.findings.find((f) => f.code === "ops.clients-unencrypted");
    expect(plain?.message).toContain("127.0.0.1 (app, skillflaw-b)");
  });

  it("a role with pg_read_all_stats sees every client: nothing hidden", async () => {
    const r = await runOpsStage(ctx({ listClients: true, values: { user: "monitor" } }));
    const clients = liveOf(r).clients;
    if (clients?.status !== "completed") throw new Error("no clients");
    expect(clients.value.canReadAllStats).toBe(true);
    expect(clients.value.hiddenSessions).toBe(0);
    expect(clients.value.groups.find((g) => g.usename === "other")).toMatchObject({
      clientAddr: "127.0.0.1",
      state: "idle",
      ssl: true,
      hidden: false,
    });
    expect(codes(r.findings)).not.toContain("ops.clients-hidden");
  });

  it("SkillFlaw's migration advisory lock is reported with the holder's pid", async () => {
    const holder = await client("app", "skillflaw", "skillflaw-migrating", true);
    const pid = (await holder.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]?.pid;
    await holder.query(`select pg_advisory_lock(${LOCK_KEY})`);
    try {
      const r = await runOpsStage(ctx({ listClients: true }));
      const f = r.findings.find((x) => x.code === "ops.migration-lock-held");
      expect(f?.message).toContain(`pid ${pid} from 127.0.0.1 (skillflaw-migrating)`);
      const live = liveOf(r);
      expect(live.clients?.status === "completed" && live.clients.value.migrationLock[0]?.granted).toBe(true);
    } finally {
      await holder.query(`select pg_advisory_unlock(${LOCK_KEY})`);
    }
    const after = await runOpsStage(ctx({ listClients: true }));
    expect(codes(after.findings)).not.toContain("ops.migration-lock-held");
  });
});

describe("connection slots on max_connections = 12", () => {
  it("reads the server's limits and current use; SkillFlaw's default pool of 50 exceeds them: a warning (the server accepts connections now)", async () => {
    const r = await runOpsStage(ctx({}));
    const c = liveOf(r).capacity;
    if (c.status !== "completed") throw new Error("no capacity");
    expect(c.value.maxConnections).toBe(MAX_CONNECTIONS);
    expect(c.value.superuserReserved).toBe(2);
    // The test's own sessions: 5 + 1 (lock holder) of app/other on any database, ours excluded.
    expect(c.value.inUse).toBe(opened.length);
    expect(c.value.available).toBe(MAX_CONNECTIONS - 2 - c.value.reserved - (c.value.inUse - c.value.sameUserInUse));
    expect(c.value.perProcess).toBe(50);
    const f = r.findings.find((x) => x.code === "ops.capacity-exceeded");
    expect(f?.severity).toBe("warning");
    expect(f?.message).toContain(`max_connections ${MAX_CONNECTIONS}`);
  });

  it("small pools fit one instance but not ten: the warning comes before 'too many clients'", async () => {
    const fileVars = {
      SKILLFLAW_DB_CONNECTION_SETTINGS: {
        value: '{"pool_size": 1, "max_overflow": 1, "pool_timeout": 30, "pool_pre_ping": true, "pool_recycle": 1800}',
        file: ".env",
        line: 3,
      },
    };
    const one = await runOpsStage(ctx({ fileVars }));
    expect(codes(one.findings).filter((c) => c.startsWith("ops.capacity"))).toEqual([]);
    const ten = await runOpsStage(ctx({ fileVars, instances: 10 }));
    const cap = liveOf(ten).capacity;
    if (cap.status !== "completed") throw new Error("no capacity");
    expect(cap.value.demand).toBe(20);
    expect(cap.value.demand).toBeGreaterThan(cap.value.available);
    const f = ten.findings.find((x) => x.code === "ops.capacity-warning");
    expect(f?.severity).toBe("warning");
    expect(f?.message).toContain("10 instances × 1 worker × 2 (pool_size + max_overflow) = 20");

    // And the prediction is real: opening that many sessions as SkillFlaw's role does hit the limit.
    const extra: pg.Client[] = [];
    let refused: string | null = null;
    try {
      for (let i = 0; i < (cap.value.demand ?? 0); i++) {
        const c = new pg.Client({
          host: "127.0.0.1",
          port: server.port,
          user: "app",
          password: LAB_PASSWORD,
          database: "skillflaw",
        });
        c.on("error", () => {});
        try {
          await c.connect();
          extra.push(c);
        } catch (err) {
          refused = (err as Error).message;
          break;
        }
      }
    } finally {
      await Promise.all(extra.map((c) => c.end().catch(() => {})));
    }
    expect(extra.length).toBe(cap.value.available - cap.value.sameUserInUse);
    expect(refused).toMatch(/too many clients already|remaining connection slots are reserved/);
  });

  it("the lab's too-many-clients server: no session, so the live checks are skipped with libpq's reason, not passed", async () => {
    const scenario = SCENARIOS.find((s) => s.name === "too-many-clients");
    if (!scenario) throw new Error("lab scenario too-many-clients is missing");
    const full = await startServer(scenario.spec);
    try {
      const r = await runOpsStage(
        ctx({
          values: { port: String(full.port), dbname: "postgres" },
          hosts: [{ host: "localhost", port: String(full.port), kind: "dns" }],
        }),
      );
      const live = r.result.status === "completed" ? r.result.value.live : null;
      expect(live?.status).toBe("skipped");
      expect(live?.status === "skipped" && live.reason).toContain("sorry, too many clients already");
      const f = r.findings.find((x) => x.code === "ops.live-unavailable");
      expect(f?.severity).toBe("error");
    } finally {
      await full.stop();
    }
  }, 60_000);
});

describe("SkillFlaw's schema (fixtures/ops/skillflaw-schema.sql)", () => {
  it("complete: alembic_version has its row and every core table exists; version 15+ is fine", async () => {
    const r = await runOpsStage(ctx({}));
    const live = liveOf(r);
    expect(live.version.num).toBeGreaterThanOrEqual(150000);
    expect(Math.floor(live.version.num / 10000)).toBe(Number(live.version.text.split(".")[0]));
    expect(live.schema).toMatchObject({
      status: "completed",
      value: {
        schema: "public",
        alembicTable: true,
        alembicVersions: ["3162e83e485f"],
        missing: [],
        state: "complete",
      },
    });
    expect(codes(r.findings).filter((c) => c.startsWith("ops.schema") || c.startsWith("ops.server"))).toEqual([]);
  });
  it("one table dropped: the missing one is named, as an error", async () => {
    const r = await runOpsStage(ctx({ values: { dbname: "partialdb" } }));
    expect(liveOf(r).schema).toMatchObject({
      status: "completed",
      value: { missing: ["vertex_build"], state: "partial" },
    });
    const f = r.findings.find((x) => x.code === "ops.schema-partial");
    expect(f?.severity).toBe("error");
    expect(f?.message).toContain("vertex_build is missing");
  });
  it("an empty database: SkillFlaw has not run yet (info)", async () => {
    const r = await runOpsStage(ctx({ values: { dbname: "emptydb" } }));
    expect(liveOf(r).schema).toMatchObject({ status: "completed", value: { state: "empty", alembicTable: false } });
    expect(r.findings.find((x) => x.code === "ops.schema-not-initialized")?.severity).toBe("info");
  });
  it("the search_path decides the schema: a role whose path names a schema without the tables sees none", async () => {
    const admin = await superuser("skillflaw");
    await admin.query("CREATE SCHEMA IF NOT EXISTS sf_other AUTHORIZATION app");
    await admin.end();
    const r = await runOpsStage(ctx({ values: { options: "-c search_path=sf_other" } }));
    expect(liveOf(r).schema).toMatchObject({ status: "completed", value: { schema: "sf_other", state: "empty" } });
  });
});

describe("the session follows the configured sslmode as libpq does", () => {
  it("verify-full without a root file: no session, libpq's own message as the reason", async () => {
    const values: Record<string, string> = { sslrootcert: "" };
    const r = await runOpsStage(ctx({ values }));
    const live = r.result.status === "completed" ? r.result.value.live : null;
    expect(live?.status).toBe("skipped");
    expect(live?.status === "skipped" && live.reason).toContain(
      `root certificate file "${join(home, ".postgresql", "root.crt")}" does not exist`,
    );
  });
  it("verify-full by IP against a certificate for localhost and 127.0.0.1 works; prefer ends up encrypted", async () => {
    const byIp = await runOpsStage(
      ctx({ values: { host: "127.0.0.1" }, hosts: [{ host: "127.0.0.1", port: String(server.port), kind: "ip" }] }),
    );
    expect(liveOf(byIp).session.ssl).toBe(true);
    const prefer = await runOpsStage(ctx({ configuredMode: "prefer", values: { sslmode: "prefer", sslrootcert: "" } }));
    expect(liveOf(prefer).session).toMatchObject({ ssl: true, sslmode: "prefer" });
    const disable = await runOpsStage(ctx({ configuredMode: "disable", values: { sslmode: "disable" } }));
    expect(liveOf(disable).session.ssl).toBe(false);
  });
  it("--offline never opens a session", async () => {
    const r = await runOpsStage(ctx({ offline: true, values: { port: "1" } }));
    expect(r.result.status === "completed" && r.result.value.live).toEqual({
      status: "skipped",
      reason: "--offline: no session to the server",
    });
  });
});
