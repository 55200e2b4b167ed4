// The session's side of pooler detection (ops/pooler.ts says what the signs mean): both ends of our own link, read on
// the one operations session, and PgBouncer's admin console when those signs show something in between.
import { TLSSocket } from "node:tls";
import type { AdminConsoleFacts, PoolerConfig, SessionSigns } from "./pooler-types.js";
import type { Queryable } from "./queries.js";

/** The part of a session these reads need: pg's client (BackendKeyData, the socket) and its queries. */
export type SignsClient = Queryable;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** pg keeps the BackendKeyData of the startup and its socket (a TLSSocket once TLS is up). */
function clientSide(client: unknown): { keyPid: number | null; clientTls: string | null } {
  const c = client as { processID?: number | null; connection?: { stream?: unknown } };
  const stream = c.connection?.stream;
  return {
    keyPid: typeof c.processID === "number" ? c.processID : null,
    clientTls: stream instanceof TLSSocket ? (stream.getProtocol() ?? "TLS") : null,
  };
}

/**
 * One query for the server's side, and where that shows something in between, `SHOW pool_version` under a savepoint
 * (PostgreSQL rejects it; pgpool-II answers).
 * Runs inside the stage's read-only transaction.
 */
/** `connection`: the pg client under the session's queries (its BackendKeyData and socket are wire facts). */
export async function readSessionSigns(
  client: SignsClient,
  dialledPort: number,
  connection: unknown,
): Promise<SessionSigns> {
  const r = await client.query<{
    pid: number;
    port: number | null;
    ssl_setting: string;
    ssl: boolean | null;
    version: string | null;
  }>(
    `select pg_backend_pid() as pid, inet_server_port() as port, current_setting('ssl') as ssl_setting,
            (select s.ssl from pg_stat_ssl s where s.pid = pg_backend_pid()) as ssl,
            (select s.version from pg_stat_ssl s where s.pid = pg_backend_pid()) as version`,
  );
  const row = r.rows[0];
  if (!row) throw new Error("the server returned no row");
  const side = clientSide(connection);
  // SHOW pool_version is an ERROR in a direct server's log: asked only where the first signs show something between
  // (another port, a BackendKeyData that is not our backend's, TLS on one side only). pgpool-II passes the backend's
  // key and may speak TLS to it, but listens on its own port.
  const suspicious =
    (row.port !== null && row.port !== dialledPort) ||
    (side.keyPid !== null && side.keyPid !== row.pid) ||
    (side.clientTls !== null) !== (row.ssl === true);
  let poolVersion: string | null = null;
  let poolStatus: PoolerConfig | undefined;
  if (suspicious) {
    await client.query("savepoint dbdoctor_pool_version");
    try {
      const v = await client.query<{ pool_version: string }>("show pool_version");
      poolVersion = v.rows[0]?.pool_version ?? null;
      // pgpool-II shows its configuration to any user (SHOW pool_status: item, value, description).
      const st = await client.query<{ item: string; value: string }>("show pool_status");
      poolStatus = pgpoolConfig(st.rows);
    } catch {
      await client.query("rollback to savepoint dbdoctor_pool_version");
    }
  }
  return {
    dialledPort,
    serverPort: row.port,
    backendPid: row.pid,
    ...side,
    serverSsl: row.ssl === true,
    serverSslVersion: row.version,
    sslSetting: row.ssl_setting,
    poolVersion,
    ...(poolStatus ? { poolStatus } : {}),
  };
}

/**
 * SHOW pool_status's rows as the settings the rules use: num_init_children is how many clients pgpool-II serves at
 * once (the rest wait in the listen queue, or get "Sorry, too many clients already" with reserved_connections).
 */
export function pgpoolConfig(rows: readonly { item?: string; value?: string }[]): PoolerConfig {
  const m = new Map(rows.map((r) => [r.item ?? "", r.value ?? ""]));
  return {
    maxClientConn: num(m.get("num_init_children")),
    defaultPoolSize: num(m.get("max_pool")),
    maxDbConnections: null,
    poolMode: null,
    authType: m.get("enable_pool_hba") === "1" ? "pool_hba.conf" : null,
    clientTlsSslmode: m.has("ssl") ? (m.get("ssl") === "1" ? "on" : "off") : null,
    serverTlsSslmode: null,
  };
}

const num = (v: string | undefined): number | null => (v === undefined || v === "" ? null : Number(v));

/** SHOW CONFIG's rows (key, value, ...) as the settings the rules use. */
export function poolerConfig(rows: readonly { key?: string; value?: string }[]): PoolerConfig {
  const m = new Map(rows.map((r) => [r.key ?? "", r.value ?? ""]));
  const str = (k: string) => m.get(k) ?? null;
  return {
    maxClientConn: num(m.get("max_client_conn")),
    defaultPoolSize: num(m.get("default_pool_size")),
    maxDbConnections: num(m.get("max_db_connections")),
    poolMode: str("pool_mode"),
    authType: str("auth_type"),
    clientTlsSslmode: str("client_tls_sslmode"),
    serverTlsSslmode: str("server_tls_sslmode"),
  };
}

/**
 * What a session to the database "pgbouncer" says. `open` opens it exactly as the application's session (same
 * sslmode, user and password) or says why it could not; PgBouncer refuses roles outside admin_users/stats_users with
 * "not allowed" (admin.c), which still names it.
 */
export async function readAdminConsole(
  open: () => Promise<{ ok: true; client: SignsClient; close: () => Promise<void> } | { ok: false; reason: string }>,
): Promise<AdminConsoleFacts> {
  const s = await open();
  if (!s.ok) {
    if (/\bnot allowed\b/.test(s.reason)) return { state: "not-allowed", message: s.reason };
    if (/database "pgbouncer" does not exist|no such database/.test(s.reason))
      return { state: "absent", message: s.reason };
    return { state: "error", message: s.reason };
  }
  try {
    // The console speaks the simple query protocol only: pg uses it for a query without parameters.
    const r = await s.client.query<{ key: string; value: string }>("SHOW CONFIG");
    return { state: "readable", config: poolerConfig(r.rows) };
  } catch (err) {
    return { state: "error", message: message(err) };
  } finally {
    await s.close();
  }
}
