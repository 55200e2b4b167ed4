// Read-only catalog queries on the one session, inside a READ ONLY transaction so that nothing here can write.
// Everything an ordinary role may read: pg_stat_activity hides other users' details without pg_read_all_stats,
// and the queries say so rather than guessing.
import type { QueryResult, QueryResultRow } from "pg";
import type { StageResult } from "../model/stage.js";
import type { ServerSlots } from "./capacity.js";
import type { ClientGroup, ClientsFacts, SchemaFacts, VersionFacts } from "./types.js";

/** SkillFlaw's core tables (skillflaw.md §4); `job` is recent and not required. */
export const CORE_TABLES = [
  "flow",
  "user",
  "apikey",
  "folder",
  "message",
  "variable",
  "transaction",
  "vertex_build",
] as const;

/** SkillFlaw's session advisory lock 0x4C616E67666C6F77 as pg_locks shows a bigint key. */
export const MIGRATION_LOCK = { classid: 1281453671, objid: 1718382455 } as const;

/** A session's queries, each under its deadline (ops/session.ts). */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

export interface ServerBasics {
  version: VersionFacts;
  slots: Omit<ServerSlots, "inUse" | "sameUserInUse">;
  database: string;
  user: string;
  schema: string | null;
  ssl: boolean;
  sslVersion: string | null;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function readBasics(client: Queryable): Promise<ServerBasics> {
  const r = await client.query<{
    num: string;
    text: string;
    max: string;
    sr: string;
    r: string | null;
    db: string;
    usr: string;
    schema: string | null;
    ssl: boolean | null;
    version: string | null;
  }>(
    `select current_setting('server_version_num') as num, current_setting('server_version') as text,
            current_setting('max_connections') as max, current_setting('superuser_reserved_connections') as sr,
            current_setting('reserved_connections', true) as r,
            current_database() as db, current_user as usr, current_schema() as schema,
            (select s.ssl from pg_stat_ssl s where s.pid = pg_backend_pid()) as ssl,
            (select s.version from pg_stat_ssl s where s.pid = pg_backend_pid()) as version`,
  );
  const row = r.rows[0];
  if (!row) throw new Error("the server returned no settings row");
  return {
    version: { num: Number(row.num), text: row.text },
    slots: {
      maxConnections: Number(row.max),
      superuserReserved: Number(row.sr),
      reserved: row.r === null || row.r === "" ? 0 : Number(row.r),
    },
    database: row.db,
    user: row.usr,
    schema: row.schema,
    ssl: row.ssl === true,
    sslVersion: row.version,
  };
}

/**
 * Client backends only: walsenders and background workers have their own slots. For sessions hidden from our role
 * backend_type reads NULL, so a hidden row counts as a client when it has a database and a user (what pg_stat_activity
 * still shows for it).
 */
const CLIENT_ROWS = `(a.backend_type = 'client backend' or (a.backend_type is null and a.datname is not null and a.usesysid is not null))`;

export async function readUsage(client: Queryable): Promise<{ inUse: number; sameUserInUse: number }> {
  const r = await client.query<{ in_use: number; same_user: number }>(
    `select count(*)::int as in_use,
            count(*) filter (where a.usename = current_user and a.datname = current_database())::int as same_user
       from pg_stat_activity a
      where a.pid <> pg_backend_pid() and ${CLIENT_ROWS}`,
  );
  return { inUse: r.rows[0]?.in_use ?? 0, sameUserInUse: r.rows[0]?.same_user ?? 0 };
}

export async function readSchema(client: Queryable, schema: string | null): Promise<StageResult<SchemaFacts>> {
  if (schema === null)
    return {
      status: "completed",
      value: {
        schema: null,
        alembicTable: false,
        alembicVersions: [],
        present: [],
        missing: [...CORE_TABLES],
        state: "empty",
      },
    };
  const wanted = [...CORE_TABLES, "alembic_version"];
  const r = await client.query<{ relname: string }>(
    `select c.relname from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind in ('r', 'p') and c.relname = any($2::text[])`,
    [schema, wanted],
  );
  const found = new Set(r.rows.map((x) => x.relname));
  const alembicTable = found.has("alembic_version");
  let alembicVersions: string[] = [];
  if (alembicTable) {
    // A savepoint keeps the read-only transaction usable if this role may not read the table.
    await client.query("savepoint dbdoctor_alembic");
    try {
      const v = await client.query<{ version_num: string }>(
        `select version_num::text as version_num from ${quoteIdent(schema)}.alembic_version`,
      );
      alembicVersions = v.rows.map((x) => x.version_num);
    } catch (err) {
      await client.query("rollback to savepoint dbdoctor_alembic");
      return { status: "error", reason: `could not read ${schema}.alembic_version: ${message(err)}` };
    }
  }
  const present = CORE_TABLES.filter((t) => found.has(t));
  const missing = CORE_TABLES.filter((t) => !found.has(t));
  const state =
    !alembicTable && present.length === 0
      ? "empty"
      : alembicTable && alembicVersions.length > 0 && missing.length === 0
        ? "complete"
        : "partial";
  return { status: "completed", value: { schema, alembicTable, alembicVersions, present, missing, state } };
}

export async function readClients(client: Queryable, database: string): Promise<ClientsFacts> {
  const groups = await client.query<{
    client_addr: string | null;
    usename: string | null;
    application_name: string | null;
    state: string | null;
    ssl: boolean | null;
    version: string | null;
    hidden: boolean;
    n: number;
  }>(
    `select host(a.client_addr) as client_addr, a.usename, a.application_name, a.state, s.ssl, s.version,
            coalesce(a.query = '<insufficient privilege>', false) as hidden, count(*)::int as n
       from pg_stat_activity a left join pg_stat_ssl s on s.pid = a.pid
      where a.datname = current_database() and a.pid <> pg_backend_pid() and ${CLIENT_ROWS}
      group by 1, 2, 3, 4, 5, 6, 7
      order by n desc, 1, 2, 3, 4`,
  );
  const priv = await client.query<{ all_stats: boolean }>(
    `select coalesce((select rolsuper from pg_catalog.pg_roles where rolname = current_user), false)
            or pg_has_role(current_user, 'pg_read_all_stats', 'member') as all_stats`,
  );
  const locks = await client.query<{
    pid: number;
    granted: boolean;
    client_addr: string | null;
    application_name: string | null;
  }>(
    `select l.pid, l.granted, host(a.client_addr) as client_addr, a.application_name
       from pg_catalog.pg_locks l left join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.classid = $1 and l.objid = $2 and l.objsubid = 1
        and l.database = (select oid from pg_catalog.pg_database where datname = current_database())
      order by l.granted desc, l.pid`,
    [MIGRATION_LOCK.classid, MIGRATION_LOCK.objid],
  );
  const list: ClientGroup[] = groups.rows.map((g) => ({
    clientAddr: g.client_addr,
    usename: g.usename,
    applicationName: g.application_name,
    state: g.state,
    ssl: g.hidden ? null : g.ssl,
    sslVersion: g.version,
    count: g.n,
    hidden: g.hidden,
  }));
  return {
    database,
    groups: list,
    total: list.reduce((s, g) => s + g.count, 0),
    hiddenSessions: list.filter((g) => g.hidden).reduce((s, g) => s + g.count, 0),
    canReadAllStats: priv.rows[0]?.all_stats === true,
    migrationLock: locks.rows.map((l) => ({
      pid: l.pid,
      granted: l.granted,
      clientAddr: l.client_addr,
      applicationName: l.application_name,
    })),
  };
}
