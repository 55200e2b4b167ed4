import type { CodeSpec } from "../rule.js";

/** Findings about running SkillFlaw on its database: pool sizing, connection slots, version, schema, clients, clouds. */
export const OPS_FINDINGS = {
  "ops.pool-settings-invalid": {
    severity: "error",
    title: "SKILLFLAW_DB_CONNECTION_SETTINGS is not a JSON object",
    description:
      "SkillFlaw's settings (pydantic-settings) parse SKILLFLAW_DB_CONNECTION_SETTINGS as JSON into a dict. Invalid JSON, single-quoted keys or an empty value stop startup with a ValidationError (Input should be a valid dictionary [type=dict_type]); JSON null passes validation and then breaks the engine set-up.",
    hint: 'Write a JSON object with double quotes, e.g. SKILLFLAW_DB_CONNECTION_SETTINGS=\'{"pool_size": 20, "max_overflow": 30}\' (single quotes around it in .env), or delete the line for the defaults.',
  },
  "ops.pool-settings-partial": {
    severity: "warning",
    title: "SKILLFLAW_DB_CONNECTION_SETTINGS replaces the defaults instead of merging",
    description:
      "A set SKILLFLAW_DB_CONNECTION_SETTINGS replaces SkillFlaw's whole default dict (20/30/30/true/1800). Keys it leaves out fall back to SQLAlchemy's QueuePool defaults: pool_size 5, max_overflow 10, pool_timeout 30, pool_pre_ping false, pool_recycle -1 (never).",
    hint: 'List every key: {"pool_size": 20, "max_overflow": 30, "pool_timeout": 30, "pool_pre_ping": true, "pool_recycle": 1800}.',
  },
  "ops.pool-value-type": {
    severity: "warning",
    title: "A pool setting has the wrong type",
    description:
      'The JSON values go unchanged to SQLAlchemy\'s create_async_engine: pool_size, max_overflow and pool_recycle must be integers, pool_timeout a number and pool_pre_ping a boolean. A string such as "20" is not converted and breaks the pool at the first connection.',
    hint: 'Write numbers and booleans without quotes: {"pool_size": 20, "pool_pre_ping": true}.',
  },
  "ops.pool-key-misspelled": {
    severity: "error",
    title: "A key in SKILLFLAW_DB_CONNECTION_SETTINGS is not a create_engine argument",
    description:
      "SQLAlchemy's create_engine raises TypeError (Invalid argument(s) ... sent to create_engine()) for a keyword it does not know, so a misspelled pool key stops SkillFlaw at startup.",
    hint: "Use SQLAlchemy's names: pool_size, max_overflow, pool_timeout, pool_pre_ping, pool_recycle.",
  },
  "ops.pool-poolclass-invalid": {
    severity: "warning",
    title: "poolclass names no SQLAlchemy pool",
    description:
      "SkillFlaw looks the poolclass value up on sqlalchemy.pool; an unknown name is logged as an error and the default pool is used instead.",
    hint: 'Use a class of sqlalchemy.pool (e.g. "NullPool", "AsyncAdaptedQueuePool") or remove the key.',
  },
  "ops.pool-unbounded": {
    severity: "warning",
    title: "The pool has no upper bound",
    description:
      "With poolclass NullPool every session opens its own connection, and max_overflow -1 allows unlimited overflow: how many connections SkillFlaw opens depends on load alone, so the capacity check cannot promise anything.",
    hint: "Use the default QueuePool with a finite pool_size and max_overflow, or put PgBouncer in front of the database.",
  },
  "ops.pool-deprecated-variable": {
    severity: "warning",
    title: "Deprecated SKILLFLAW_POOL_SIZE / SKILLFLAW_MAX_OVERFLOW",
    description:
      "SKILLFLAW_POOL_SIZE and SKILLFLAW_MAX_OVERFLOW still work: when set, they override the same key of SKILLFLAW_DB_CONNECTION_SETTINGS, and SkillFlaw logs \"pool_size is deprecated. Use db_connection_settings['pool_size'] instead.\"",
    hint: "Move the value into SKILLFLAW_DB_CONNECTION_SETTINGS and delete the variable.",
  },
  "ops.pool-deprecated-invalid": {
    severity: "error",
    title: "SKILLFLAW_POOL_SIZE / SKILLFLAW_MAX_OVERFLOW / SKILLFLAW_WORKERS is not an integer",
    description:
      'These settings are integers; an empty value (KEY= in .env) or text stops SkillFlaw at startup with pydantic\'s "Input should be a valid integer, unable to parse string as an integer".',
    hint: "Give the variable an integer value, or delete the line.",
  },
  "ops.pool-doc-variable-ignored": {
    severity: "warning",
    title: "SKILLFLAW_DB_POOL_SIZE / SKILLFLAW_DB_MAX_OVERFLOW are ignored",
    description:
      'Some documentation names SKILLFLAW_DB_POOL_SIZE and SKILLFLAW_DB_MAX_OVERFLOW, but no settings field has those names and the settings class ignores unknown variables (extra="ignore"): the value has no effect.',
    hint: 'Set the pool in SKILLFLAW_DB_CONNECTION_SETTINGS, e.g. \'{"pool_size": 10, "max_overflow": 20, ...}\'.',
  },
  "ops.capacity-exceeded": {
    severity: "error",
    title: "One SkillFlaw instance's pools exceed the free connection slots",
    description:
      'workers × (pool_size + max_overflow) of a single instance is more than the server has left for SkillFlaw (max_connections minus reserved slots minus the sessions of other users). Under load PostgreSQL refuses further connections with "sorry, too many clients already" or "remaining connection slots are reserved ...".',
    hint: "Lower pool_size/max_overflow or the worker count, raise max_connections, or put PgBouncer in front.",
  },
  "ops.capacity-warning": {
    severity: "warning",
    title: "All SkillFlaw instances together can exceed the free connection slots",
    description:
      'instances × workers × (pool_size + max_overflow) is more than the slots the server has left. Each process has its own engine and pool, so the pools add up; at peak load the last connections fail with "sorry, too many clients already".',
    hint: "Size the pools so the sum fits: instances × workers × (pool_size + max_overflow) ≤ available slots.",
  },
  "ops.capacity-unknown": {
    severity: "info",
    title: "Capacity not comparable",
    description:
      "The pool has no upper bound (NullPool, max_overflow -1) or its size is unknown, so the connections SkillFlaw may open cannot be compared with the server's slots.",
    hint: "Give the pool a finite pool_size and max_overflow.",
  },
  "ops.server-version-too-old": {
    severity: "error",
    title: "PostgreSQL older than 15",
    description:
      "SkillFlaw's schema uses UNIQUE NULLS DISTINCT, which only PostgreSQL 15 and later understand. SkillFlaw checks server_version_num before it starts and exits 1 below 150000.",
    hint: "Upgrade the server to PostgreSQL 15 or later (or point SkillFlaw at one).",
  },
  "ops.schema-not-initialized": {
    severity: "info",
    title: "SkillFlaw has not run against this database yet",
    description:
      "There is no alembic_version table and none of SkillFlaw's core tables: SkillFlaw creates them on its first start. Start a single instance first so migrations run without concurrent writers.",
    hint: "Start one SkillFlaw instance, wait until it is up, then start the others.",
  },
  "ops.schema-partial": {
    severity: "error",
    title: "SkillFlaw's schema is incomplete",
    description:
      "After SkillFlaw has run, alembic_version holds a row and the core tables flow, user, apikey, folder, message, variable, transaction and vertex_build exist. Some are missing: an interrupted first start or migration, another application's tables, or a search_path pointing elsewhere.",
    hint: "Run `skillflaw migration --fix` against this database, or check that the URL names the right database and schema.",
  },
  "ops.schema-unreadable": {
    severity: "warning",
    title: "The schema could not be read",
    description: "The read-only catalog queries for SkillFlaw's tables failed, so the schema check could not run.",
    hint: "Check that SkillFlaw's role may connect to the database and read pg_catalog.",
  },
  "ops.clients-hidden": {
    severity: "info",
    title: "Other users' sessions are hidden from this role",
    description:
      "Without superuser or the pg_read_all_stats role, pg_stat_activity shows another user's sessions with client_addr, state and query NULL (query reads <insufficient privilege>), and pg_stat_ssl hides their SSL details. They are counted but cannot be told apart.",
    hint: "GRANT pg_read_all_stats TO <monitoring role>, and run dbdoctor instances as that role to see every client.",
  },
  "ops.clients-unencrypted": {
    severity: "warning",
    title: "Clients of the SkillFlaw database connect without SSL",
    description:
      "pg_stat_ssl shows TCP sessions on SkillFlaw's database that are not encrypted: another instance or tool uses sslmode=disable/allow/prefer, or a server that offers no SSL.",
    hint: "Give every instance the same URL with sslmode=verify-full (and sslrootcert), and use hostssl lines in pg_hba.conf.",
  },
  "ops.migration-lock-held": {
    severity: "info",
    title: "SkillFlaw's migration lock is held",
    description:
      'A session holds SkillFlaw\'s advisory migration lock (pg_locks: advisory, classid 1281453671, objid 1718382455): an instance is migrating now. Other instances wait up to SKILLFLAW_MIGRATION_LOCK_TIMEOUT_S (300 s) and then fail with "Could not acquire migration advisory lock ...".',
    hint: "Wait for the migrating instance; if it hangs, look at that pid (pg_stat_activity) and restart it alone.",
  },
  "ops.live-unavailable": {
    severity: "error",
    title: "The live operations checks could not run",
    description:
      "No session could be opened under the configured sslmode, so the server version, connection slots, schema and clients were not checked. A check that could not run is not a pass.",
    hint: "Fix the connection first (dbdoctor check shows why it fails), then run again.",
    // In check, the sslmode matrix already reports why the configured mode cannot connect.
    supersededBy: "session.configured-mode-fails",
  },
  "ops.cloud-provider": {
    severity: "info",
    title: "Cloud provider recognised from the host name",
    description:
      "The host name matches a managed PostgreSQL service. The message says which CA bundle its servers chain to, where to get it, and what its host names, certificates, SNI and poolers require. Recognised from the name only; dbdoctor makes no call to the provider.",
    hint: "Use sslmode=verify-full with the provider's CA bundle as sslrootcert.",
  },
  "ops.cloud-sslmode": {
    severity: "warning",
    title: "The configured sslmode misses what the provider needs",
    description:
      "The provider requires or routes by TLS (Neon needs SNI, most providers refuse plaintext), or offers a verifiable certificate that the configured sslmode does not check.",
    hint: "Use sslmode=verify-full with the provider's CA bundle (sslrootcert=...), or what the message names.",
  },
  "ops.cloud-pooler-transaction": {
    severity: "warning",
    title: "Transaction-mode pooler",
    description:
      "The port is the provider's transaction-mode pooler: every transaction may run on another server session. Session state does not survive: SkillFlaw's session-level migration advisory lock, SET commands, and psycopg's automatically prepared statements.",
    hint: "Point SkillFlaw at the session-mode pooler or the direct connection (Supabase: port 5432).",
  },
} as const satisfies Record<string, CodeSpec>;
