// Display text for the Operations section, shared by the text and Markdown renderers so both say the same thing.
// The ✓/✗ marks repeat the judgments the rules made (the findings in the report), never judge the facts again.
import type { ClientGroup, OpsFacts, PoolFacts, PoolValueSource } from "../../ops/types.js";
import { SKILLFLAW_MIN_SERVER_MAJOR } from "../../rules/ops/server-version.js";
import type { Finding, FindingCode } from "../../rules/registry.js";

/** [label, ok (true ✓ / false ✗ / null neutral), text] */
export type OpsRow = [string, boolean | null, string];

function sourceText(s: PoolValueSource): string {
  if (s.kind === "skillflaw-default") return "SkillFlaw's defaults";
  if (s.kind === "sqlalchemy-default") return "SQLAlchemy's defaults";
  return `${s.variable}${s.location ? ` (${s.location.file}:${s.location.line ?? "?"})` : ""}`;
}

function poolText(p: PoolFacts): string {
  const size =
    p.perProcess === null
      ? `pool_size ${p.poolSize}, max_overflow ${p.maxOverflow}: ${p.perProcessNote ?? "no upper bound"}`
      : `pool_size ${p.poolSize} + max_overflow ${p.maxOverflow} = ${p.perProcess} connections per process`;
  const extra = [
    `pre-ping ${p.poolPrePing ? "on" : "off"}`,
    `recycle ${p.poolRecycle < 0 ? "never" : `${p.poolRecycle} s`}`,
    `timeout ${p.poolTimeout} s`,
    ...(p.poolclass ? [`poolclass ${p.poolclass}`] : []),
  ];
  const from = [...new Set([p.sources.pool_size, p.sources.max_overflow].map(sourceText))].join(", ");
  return `${size} (${extra.join(", ")}); from ${from}`;
}

export function opsRows(ops: OpsFacts, findings: readonly Finding[]): OpsRow[] {
  const judged = new Set<FindingCode>(findings.map((f) => f.code));
  const any = (...codes: FindingCode[]) => codes.some((c) => judged.has(c));
  const rows: OpsRow[] = [];
  rows.push(["pool", null, poolText(ops.pool)]);
  const per = ops.pool.perProcess;
  rows.push([
    "deployment",
    null,
    `${ops.instances} instance${ops.instances === 1 ? "" : "s"} × ${ops.workers} worker${ops.workers === 1 ? "" : "s"}${per === null ? "" : ` → up to ${ops.instances * ops.workers * per} connections`}${ops.pool.sources.workers.kind === "variable" && ops.workers === ops.pool.workers ? ` (workers from ${sourceText(ops.pool.sources.workers)})` : ""}`,
  ]);
  const p = ops.provider;
  rows.push([
    "provider",
    null,
    p === null
      ? "no managed service recognised from the host name"
      : `${p.name}${p.guess ? " (a guess)" : ""}, ${p.endpoint} endpoint; verify-full ${p.verifyFull === "yes" ? "can succeed" : p.verifyFull === "no" ? "cannot succeed" : "to be checked"}`,
  ]);
  if (ops.live.status !== "completed") {
    rows.push(["server", ops.live.status === "error" ? false : null, `${ops.live.status}: ${ops.live.reason}`]);
    return rows;
  }
  const l = ops.live.value;
  const s = l.session;
  const pooler = ops.pooler && ops.pooler.confidence !== "possible" ? ops.pooler : undefined;
  // Behind a pooler the server's pg_stat_ssl is the pooler's link: the client's TLS is its own handshake's.
  const tls = pooler
    ? `${pooler.clientTls ?? "no TLS"} to ${pooler.name}; ${pooler.name} to the server: ${s.ssl ? `SSL ${s.sslVersion ?? ""}`.trim() : "no SSL"}`
    : s.ssl
      ? `SSL ${s.sslVersion ?? ""}`.trim()
      : "no SSL";
  rows.push([
    "session",
    null,
    `${s.user}@${s.host}:${s.port}/${s.database}${s.sslmode ? ` under sslmode=${s.sslmode}` : ""}, ${tls}`,
  ]);
  rows.push([
    "version",
    !any("ops.server-version-too-old"),
    `PostgreSQL ${l.version.text} (${l.version.num}); SkillFlaw needs ${SKILLFLAW_MIN_SERVER_MAJOR} or later`,
  ]);
  if (l.capacity.status === "completed") {
    const c = l.capacity.value;
    const others = c.inUse - c.sameUserInUse;
    const behind = pooler ? ` (${pooler.name}'s pools, not SkillFlaw's)` : "";
    const slots = `max_connections ${c.maxConnections} - ${c.superuserReserved + c.reserved} reserved - ${others} other session${others === 1 ? "" : "s"} = ${c.available} available`;
    rows.push([
      "capacity",
      any("ops.capacity-exceeded", "ops.capacity-warning", "pooler.capacity-exceeded")
        ? false
        : c.demand === null || (pooler && any("pooler.capacity-unknown"))
          ? null
          : true,
      pooler
        ? `${slots}${behind}; SkillFlaw's ${c.demand ?? "unknown number of"} connections meet ${pooler.name}'s ${pooler.kind === "pgpool" ? "num_init_children" : "max_client_conn"} (${pooler.config.status === "completed" ? (pooler.config.value.maxClientConn ?? "not shown") : "unknown"})`
        : c.demand === null
          ? `${slots}; demand unknown`
          : `needs up to ${c.demand} of ${slots}`,
    ]);
  } else rows.push(["capacity", null, `${l.capacity.status}: ${l.capacity.reason}`]);
  if (l.schema.status === "completed") {
    const sc = l.schema.value;
    const text =
      sc.state === "complete"
        ? `complete in "${sc.schema}" (alembic ${sc.alembicVersions.join(", ")})`
        : sc.state === "empty"
          ? `SkillFlaw has not run here yet (schema "${sc.schema ?? "none"}")`
          : `incomplete in "${sc.schema}": missing ${[...(sc.alembicVersions.length === 0 ? ["alembic_version row"] : []), ...sc.missing].join(", ")}`;
    rows.push([
      "schema",
      any("ops.schema-partial") ? false : any("ops.schema-not-initialized") ? null : sc.state === "complete",
      text,
    ]);
  } else rows.push(["schema", null, `${l.schema.status}: ${l.schema.reason}`]);
  if (l.clients) {
    if (l.clients.status === "completed") {
      const c = l.clients.value;
      rows.push([
        "clients",
        null,
        `${c.total} other session${c.total === 1 ? "" : "s"} on "${c.database}" in ${c.groups.length} group${c.groups.length === 1 ? "" : "s"}${c.hiddenSessions > 0 ? `, ${c.hiddenSessions} hidden from this role` : ""}${c.migrationLock.length > 0 ? `; migration lock held by pid ${c.migrationLock.map((m) => m.pid).join(", ")}` : ""}`,
      ]);
    } else rows.push(["clients", null, `${l.clients.status}: ${l.clients.reason}`]);
  }
  return rows;
}

export const CLIENT_HEADER = ["client", "user", "application", "state", "SSL", "sessions"] as const;

function ssl(g: ClientGroup): string {
  if (g.hidden || g.ssl === null) return "hidden";
  if (!g.ssl) return "no";
  return g.sslVersion ?? "yes";
}

/** One row per client group; hidden rows say so instead of showing NULL. */
export function clientRows(ops: OpsFacts): string[][] {
  if (ops.live.status !== "completed" || ops.live.value.clients?.status !== "completed") return [];
  return ops.live.value.clients.value.groups.map((g) => [
    g.hidden ? "(hidden)" : (g.clientAddr ?? "local socket"),
    g.usename ?? "?",
    g.applicationName === null ? "?" : g.applicationName === "" ? "(none)" : g.applicationName,
    g.hidden ? "(hidden)" : (g.state ?? "?"),
    ssl(g),
    String(g.count),
  ]);
}
