// Rules of the operations stage: facts about pools, slots, version, schema, clients and providers become findings.

import type { SourceLocation } from "../model/finding.js";
import { judgeCapacity } from "../ops/capacity.js";
import type { PoolIssue } from "../ops/pool.js";
import type { ProviderAdvice } from "../ops/providers.js";
import type { CapacityFacts, ClientsFacts, SchemaFacts, VersionFacts } from "../ops/types.js";
import type { Finding } from "./registry.js";
import { finding } from "./registry.js";

function where(location: SourceLocation | undefined): string {
  return location ? ` (${location.file}:${location.line ?? "?"})` : " (environment)";
}

function loc(location: SourceLocation | undefined): { location: SourceLocation } | Record<string, never> {
  return location ? { location } : {};
}

/** pydantic's message for a dict field that is not a JSON object (pydantic-settings 2.x, skillflaw.md §2). */
const DICT_TYPE = "Input should be a valid dictionary [type=dict_type]";
const INT_PARSING = "Input should be a valid integer, unable to parse string as an integer [type=int_parsing]";

const INVALID_WHY: Record<string, string> = {
  empty: "is empty",
  "single-quoted": "uses single quotes inside the JSON, which JSON does not allow",
  "not-json": "is not valid JSON",
  "not-object": "is JSON but not an object",
};

export function poolRules(issues: readonly PoolIssue[]): Finding[] {
  const out: Finding[] = [];
  for (const i of issues) {
    switch (i.kind) {
      case "json-invalid": {
        const message =
          i.reason === "null"
            ? `${i.variable}${where(i.location)} is null: pydantic accepts it (the field is dict | None), then SkillFlaw's engine set-up calls .copy() on None and fails.`
            : `${i.variable}${where(i.location)} ${INVALID_WHY[i.reason]}: SkillFlaw stops at startup with "db_connection_settings: ${DICT_TYPE}".`;
        out.push(
          finding("ops.pool-settings-invalid", i.variable, message, {
            ...(i.reason === "single-quoted"
              ? {
                  hint: `Use double quotes inside the JSON and single quotes around it in .env: ${i.variable}='{"pool_size": 20, "max_overflow": 30}'.`,
                }
              : {}),
            evidence: { reason: i.reason },
            ...loc(i.location),
          }),
        );
        break;
      }
      case "json-partial": {
        const dflt = {
          pool_size: "5",
          max_overflow: "10",
          pool_timeout: "30",
          pool_pre_ping: "false",
          pool_recycle: "-1 (never)",
        };
        out.push(
          finding(
            "ops.pool-settings-partial",
            i.variable,
            `${i.variable}${where(i.location)} replaces SkillFlaw's whole default dict, so the keys it leaves out take SQLAlchemy's defaults: ${i.missing.map((k) => `${k} ${dflt[k]}`).join(", ")}.`,
            { evidence: { missing: i.missing }, ...loc(i.location) },
          ),
        );
        break;
      }
      case "json-type":
        out.push(
          finding(
            "ops.pool-value-type",
            `${i.variable}.${i.key}`,
            `${i.key} in ${i.variable}${where(i.location)} is ${i.got}, not ${i.expected === "integer" ? "an integer" : `a ${i.expected}`}: ${
              i.key === "pool_size" && i.got.startsWith("string")
                ? "SQLAlchemy's QueuePool raises TypeError (unsupported operand type(s) for -: 'int' and 'str') when the engine is created, so SkillFlaw does not start."
                : "SQLAlchemy takes it unchanged, and the pool misbehaves or fails once it is used."
            }`,
            { evidence: { key: i.key, expected: i.expected, got: i.got }, ...loc(i.location) },
          ),
        );
        break;
      case "json-misspelled":
        out.push(
          finding(
            "ops.pool-key-misspelled",
            `${i.variable}.${i.key}`,
            `"${i.key}" in ${i.variable}${where(i.location)} is not a create_engine argument (did you mean "${i.suggestion}"?): SQLAlchemy raises TypeError: Invalid argument(s) '${i.key}' sent to create_engine(), and SkillFlaw does not start.`,
            {
              hint: `Rename "${i.key}" to "${i.suggestion}".`,
              evidence: { key: i.key, suggestion: i.suggestion },
              ...loc(i.location),
            },
          ),
        );
        break;
      case "nullpool-args":
        out.push(
          finding(
            "ops.pool-key-misspelled",
            `${i.variable}.poolclass`,
            `${i.variable}${where(i.location)} sets poolclass NullPool together with ${i.keys.join(", ")}, which NullPool does not take: SQLAlchemy raises TypeError: Invalid argument(s) ... sent to create_engine(), using configuration .../NullPool/Engine.`,
            {
              hint: `Remove ${i.keys.join(", ")} when you use NullPool.`,
              evidence: { keys: i.keys },
              ...loc(i.location),
            },
          ),
        );
        break;
      case "poolclass-invalid":
        out.push(
          finding(
            "ops.pool-poolclass-invalid",
            `${i.variable}.poolclass`,
            `poolclass "${i.poolclass}" in ${i.variable}${where(i.location)} is no class of sqlalchemy.pool: SkillFlaw logs "Invalid poolclass '${i.poolclass}' specified. Using default pool class." and uses the default pool.`,
            { evidence: { poolclass: i.poolclass }, ...loc(i.location) },
          ),
        );
        break;
      case "unbounded":
        out.push(
          finding(
            "ops.pool-unbounded",
            "SKILLFLAW_DB_CONNECTION_SETTINGS",
            i.why === "NullPool"
              ? "poolclass NullPool opens a new connection for every session and keeps none: how many connections SkillFlaw holds at once has no upper bound."
              : "max_overflow -1 lets every pool open unlimited overflow connections: SkillFlaw's connection count has no upper bound.",
            { evidence: { why: i.why }, ...loc(i.location) },
          ),
        );
        break;
      case "deprecated": {
        const over =
          i.overridden !== null
            ? `; it overrides ${i.field} ${i.overridden} from SKILLFLAW_DB_CONNECTION_SETTINGS`
            : "";
        out.push(
          finding(
            "ops.pool-deprecated-variable",
            i.variable,
            `${i.variable}=${i.value.trim()}${where(i.location)} is deprecated but still applied${over}; SkillFlaw logs "${i.field} is deprecated. Use db_connection_settings['${i.field}'] instead."`,
            {
              hint: `Put "${i.field}": ${i.value.trim()} into SKILLFLAW_DB_CONNECTION_SETTINGS and delete ${i.variable}.`,
              evidence: { field: i.field },
              ...loc(i.location),
            },
          ),
        );
        break;
      }
      case "integer-invalid":
        out.push(
          finding(
            "ops.pool-deprecated-invalid",
            i.variable,
            `${i.variable}${where(i.location)} is ${i.value.trim() === "" ? "empty" : `"${i.value}"`}, not an integer: SkillFlaw stops at startup with "${i.field}: ${INT_PARSING}".`,
            { evidence: { field: i.field }, ...loc(i.location) },
          ),
        );
        break;
      case "doc-variable":
        out.push(
          finding(
            "ops.pool-doc-variable-ignored",
            i.variable,
            `${i.variable}${where(i.location)} matches no SkillFlaw setting and is silently ignored; the pool is set by SKILLFLAW_DB_CONNECTION_SETTINGS (or the deprecated ${i.variable.replace("_DB_", "_")}).`,
            loc(i.location),
          ),
        );
        break;
    }
  }
  return out;
}

function formula(c: CapacityFacts): string {
  return `${c.instances} instance${c.instances === 1 ? "" : "s"} × ${c.workers} worker${c.workers === 1 ? "" : "s"} × ${c.perProcess} (pool_size + max_overflow) = ${c.demand}`;
}

function slotsText(c: CapacityFacts): string {
  const reserved = c.reserved > 0 ? ` - reserved_connections ${c.reserved}` : "";
  const others = c.inUse - c.sameUserInUse;
  return `max_connections ${c.maxConnections} - superuser_reserved_connections ${c.superuserReserved}${reserved} - ${others} session${others === 1 ? "" : "s"} of other users = ${c.available} available`;
}

export function capacityRules(c: CapacityFacts, subject: string, perProcessNote?: string): Finding[] {
  const verdict = judgeCapacity(c);
  const evidence = {
    maxConnections: c.maxConnections,
    superuserReserved: c.superuserReserved,
    reserved: c.reserved,
    inUse: c.inUse,
    sameUserInUse: c.sameUserInUse,
    available: c.available,
    demand: c.demand,
  };
  if (verdict === "unknown")
    return [
      finding(
        "ops.capacity-unknown",
        subject,
        `The connections SkillFlaw may open cannot be compared with the server's ${c.available} available slots: ${perProcessNote ?? "the pool size is unknown"}.`,
        { evidence },
      ),
    ];
  if (verdict === "exceeded") {
    const perInstance = c.perInstance ?? 0;
    const fit = Math.max(0, Math.floor(c.available / Math.max(1, c.workers * c.instances)));
    return [
      finding(
        "ops.capacity-exceeded",
        subject,
        `One instance alone can open ${c.workers} × ${c.perProcess} = ${perInstance} connections, but the server has ${slotsText(c)}: under load SkillFlaw gets "sorry, too many clients already" (or "remaining connection slots are reserved ...").`,
        {
          hint: `Keep pool_size + max_overflow at or below ${fit} per process (${c.available} slots / (${c.instances} × ${c.workers})), raise max_connections, or put PgBouncer in front.`,
          evidence,
        },
      ),
    ];
  }
  if (verdict === "warning") {
    const fit = Math.max(0, Math.floor(c.available / Math.max(1, c.workers * c.instances)));
    return [
      finding(
        "ops.capacity-warning",
        subject,
        `At peak load ${formula(c)} connections, more than the server's ${slotsText(c)}: the last ones fail with "sorry, too many clients already".`,
        {
          hint: `Keep pool_size + max_overflow at or below ${fit} per process, or raise max_connections to at least ${c.maxConnections + ((c.demand ?? 0) - c.available)}.`,
          evidence,
        },
      ),
    ];
  }
  return [];
}

export function versionRules(v: VersionFacts, subject: string): Finding[] {
  if (v.ok) return [];
  return [
    finding(
      "ops.server-version-too-old",
      subject,
      `Running PostgreSQL ${v.text}. SkillFlaw requires PostgreSQL ${v.minimumMajor} or higher when using PostgreSQL as the database. The current PostgreSQL version does not support the syntax used by SkillFlaw's schema. Please upgrade your PostgreSQL instance to version ${v.minimumMajor} or higher.`,
      { evidence: { serverVersionNum: v.num } },
    ),
  ];
}

export function schemaRules(s: SchemaFacts, subject: string): Finding[] {
  const schema = s.schema ?? "(no schema on the search_path)";
  if (s.state === "empty")
    return [
      finding(
        "ops.schema-not-initialized",
        subject,
        `SkillFlaw has not run against this database yet: no alembic_version table and none of its core tables in schema "${schema}".`,
        { evidence: { schema } },
      ),
    ];
  if (s.state === "complete") return [];
  const problems: string[] = [];
  if (!s.alembicTable) problems.push("there is no alembic_version table");
  else if (s.alembicVersions.length === 0) problems.push("alembic_version has no row");
  if (s.missing.length > 0)
    problems.push(
      `the core table${s.missing.length === 1 ? "" : "s"} ${s.missing.join(", ")} ${s.missing.length === 1 ? "is" : "are"} missing`,
    );
  return [
    finding(
      "ops.schema-partial",
      subject,
      `SkillFlaw's schema in "${schema}" is incomplete: ${problems.join(", and ")}.`,
      {
        evidence: { schema, missing: s.missing, present: s.present, alembicVersions: s.alembicVersions },
      },
    ),
  ];
}

export function clientsRules(c: ClientsFacts): Finding[] {
  const out: Finding[] = [];
  if (c.hiddenSessions > 0 && !c.canReadAllStats)
    out.push(
      finding(
        "ops.clients-hidden",
        c.database,
        `${c.hiddenSessions} of ${c.total} other session${c.total === 1 ? "" : "s"} on database "${c.database}" belong to other users: without pg_read_all_stats their client address, state, query and SSL status are hidden (NULL) from this role.`,
        { evidence: { hidden: c.hiddenSessions, total: c.total } },
      ),
    );
  const plain = c.groups.filter((g) => !g.hidden && g.clientAddr !== null && g.ssl === false);
  if (plain.length > 0) {
    const n = plain.reduce((s, g) => s + g.count, 0);
    const who = plain.map(
      (g) => `${g.clientAddr} (${g.usename ?? "?"}${g.applicationName ? `, ${g.applicationName}` : ""})`,
    );
    out.push(
      finding(
        "ops.clients-unencrypted",
        c.database,
        `${n} TCP session${n === 1 ? "" : "s"} on database "${c.database}" ${n === 1 ? "is" : "are"} not encrypted: ${[...new Set(who)].join(", ")}.`,
        { evidence: { clients: [...new Set(who)] } },
      ),
    );
  }
  for (const l of c.migrationLock)
    out.push(
      finding(
        "ops.migration-lock-held",
        c.database,
        `SkillFlaw's migration advisory lock is ${l.granted ? "held" : "awaited"} by pid ${l.pid}${l.clientAddr ? ` from ${l.clientAddr}` : ""}${l.applicationName ? ` (${l.applicationName})` : ""}: an instance is migrating the schema now.`,
        { evidence: { pid: l.pid, granted: l.granted, clientAddr: l.clientAddr } },
      ),
    );
  return out;
}

export function providerRules(a: ProviderAdvice): Finding[] {
  const p = a.facts;
  const subject = `${p.host}:${p.port}`;
  const verify =
    p.verifyFull === "yes"
      ? "verify-full can succeed"
      : p.verifyFull === "no"
        ? "verify-full cannot succeed here"
        : "verify-full: check it with dbdoctor check";
  const out: Finding[] = [
    finding(
      "ops.cloud-provider",
      subject,
      `${p.host} looks like ${p.name}${p.guess ? " (a guess from the host name)" : ""}, endpoint ${p.endpoint}. CA: ${a.ca}. Names: ${a.names}. ${[...a.notes, verify].join("; ")}.`,
      { evidence: { provider: p.id, endpoint: p.endpoint, guess: p.guess, verifyFull: p.verifyFull } },
    ),
  ];
  if (a.sslmodeProblem)
    out.push(
      finding("ops.cloud-sslmode", subject, `${p.name}: ${a.sslmodeProblem.message}.`, {
        hint: a.sslmodeProblem.hint,
        evidence: { provider: p.id },
      }),
    );
  if (a.transactionPooler)
    out.push(
      finding(
        "ops.cloud-pooler-transaction",
        subject,
        `${a.transactionPooler}: SkillFlaw's session-level migration advisory lock (pg_try_advisory_lock), SET commands and psycopg's prepared statements do not survive between transactions there.`,
        { evidence: { provider: p.id, port: p.port } },
      ),
    );
  return out;
}
