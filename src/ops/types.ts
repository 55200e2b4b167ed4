// Facts of the operations stage: SkillFlaw's pool settings as its settings code reads them, the cloud provider the
// host name points at, and (with a session) the server's version, connection slots, schema and clients.
import type { SourceLocation } from "../model/finding.js";
import type { SslMode } from "../model/sslmode.js";
import type { StageResult } from "../model/stage.js";
import type { StartupSign } from "./pooler-startup.js";
import type { PoolerFacts, SessionSigns } from "./pooler-types.js";

/** Where one effective pool value came from, in SkillFlaw's order (deprecated variable > JSON > defaults). */
export type PoolValueSource =
  /** SkillFlaw's default dict (no SKILLFLAW_DB_CONNECTION_SETTINGS). */
  | { kind: "skillflaw-default" }
  /** SQLAlchemy's QueuePool default: the JSON was set but left this key out (the JSON replaces the whole dict). */
  | { kind: "sqlalchemy-default" }
  /** The JSON object, or a deprecated variable, or SKILLFLAW_WORKERS. */
  | { kind: "variable"; variable: string; location?: SourceLocation };

/** The keys of SKILLFLAW_DB_CONNECTION_SETTINGS that set the pool (the ones SkillFlaw's default dict has). */
export type PoolKey = "pool_size" | "max_overflow" | "pool_timeout" | "pool_pre_ping" | "pool_recycle";

/** A variable as SkillFlaw's process sees it: the name as spelled, and the .env line (absent: the environment). */
export interface VariableRef {
  variable: string;
  location?: SourceLocation;
}

/**
 * What reading the pool settings ran into, as SkillFlaw's settings code and SQLAlchemy would meet it. Values are pool
 * settings; the JSON text itself is never kept (it may hold connect_args with a password).
 */
export type PoolProblem =
  /** The JSON is not a dict: pydantic's dict_type error, or null (which breaks the engine set-up). */
  | (VariableRef & { kind: "json-invalid"; reason: "empty" | "single-quoted" | "not-json" | "not-object" | "null" })
  /** The JSON leaves out keys, which then take SQLAlchemy's defaults (it replaces SkillFlaw's dict). */
  | (VariableRef & {
      kind: "json-partial";
      missing: PoolKey[];
      /**
       * The object as written, when it holds only pool keys with plain values (no connect_args, which may carry a
       * password): a fix keeps these values and adds the missing keys.
       */
      given?: Record<string, string | number | boolean | null>;
    })
  /** A pool key whose value SQLAlchemy cannot use as it stands. */
  | (VariableRef & { kind: "json-type"; key: PoolKey; expected: "integer" | "number" | "boolean"; got: string })
  /** A key close to a pool key that is no create_engine argument (TypeError at start-up). */
  | (VariableRef & { kind: "json-misspelled"; key: string; suggestion: PoolKey })
  /** poolclass names no class of sqlalchemy.pool (SkillFlaw logs it and uses the default pool). */
  | (VariableRef & { kind: "poolclass-invalid"; poolclass: string })
  /** NullPool together with QueuePool's size arguments (TypeError at start-up). */
  | (VariableRef & { kind: "nullpool-args"; keys: string[] })
  /** SKILLFLAW_POOL_SIZE / SKILLFLAW_MAX_OVERFLOW set and applied; `overridden` is the JSON's value it replaced. */
  | (VariableRef & {
      kind: "deprecated";
      field: "pool_size" | "max_overflow";
      value: string;
      overridden: number | null;
    })
  /** An integer setting whose value pydantic cannot parse (start-up stops). */
  | (VariableRef & { kind: "integer-invalid"; field: "pool_size" | "max_overflow" | "workers"; value: string })
  /** SKILLFLAW_DB_POOL_SIZE / SKILLFLAW_DB_MAX_OVERFLOW: named in docs, read by nothing. */
  | (VariableRef & { kind: "doc-variable" });

/**
 * Whether pool_size + max_overflow bounds one process's connections: "nullpool" and "unlimited-overflow" have no
 * bound, "unreadable" means the settings stop SkillFlaw before any pool exists (so the size is unknown).
 */
export type PoolBound = "finite" | "nullpool" | "unlimited-overflow" | "unreadable";

export interface PoolSettings {
  poolSize: number;
  maxOverflow: number;
  poolTimeout: number;
  poolPrePing: boolean;
  poolRecycle: number;
  /** The `poolclass` key of the JSON when it names a pool SQLAlchemy has; null for the default QueuePool. */
  poolclass: string | null;
  /** SKILLFLAW_WORKERS, or 1. */
  workers: number;
  /** pool_size + max_overflow: the most connections one process opens. null when there is no bound (or it is unknown). */
  perProcess: number | null;
  /** Why perProcess is null. */
  perProcessNote?: string;
}

export type PoolField = "pool_size" | "max_overflow" | "pool_timeout" | "pool_pre_ping" | "pool_recycle" | "workers";

export interface PoolFacts extends PoolSettings {
  sources: Record<PoolField, PoolValueSource>;
  bound: PoolBound;
  /** Where SKILLFLAW_DB_CONNECTION_SETTINGS was found; null when it is not set (SkillFlaw's defaults). */
  settingsFrom: VariableRef | null;
  /** In the order they were found: the JSON, the deprecated and doc-only variables, SKILLFLAW_WORKERS. */
  problems: PoolProblem[];
}

export type ProviderId =
  | "aws-rds"
  | "azure"
  | "google-cloud-sql"
  | "supabase"
  | "neon"
  | "heroku"
  | "digitalocean"
  | "crunchy-bridge";

export interface ProviderFacts {
  id: ProviderId;
  name: string;
  host: string;
  port: string;
  /** Recognised from a host-name pattern the provider shares with others (Heroku on EC2 names): a guess. */
  guess: boolean;
  /** The endpoint kind the name shows: "instance", "proxy", "cluster", "pooler-transaction", "pooler-session"... */
  endpoint: string;
  /** Whether verify-full can succeed against this endpoint with the provider's CA. */
  verifyFull: "yes" | "no" | "with-care";
  /** The client side the provider's requirements are compared with. */
  client: ProviderClient;
}

/** How the client will connect to the provider, as far as the provider's requirements depend on it. */
export interface ProviderClient {
  user: string | null;
  sslmode: SslMode | null;
  /** The libpq major modelled (SNI from 14, sslrootcert=system from 16). */
  libpqMajor: number;
  /** sslsni is not 0 (libpq sends SNI from 14 on unless sslsni=0). */
  sslsni: boolean;
  /** `options` carries endpoint=<id>, which Neon reads when there is no SNI. */
  endpointOption: boolean;
}

export interface VersionFacts {
  /** server_version_num, e.g. 170004. */
  num: number;
  /** server_version, e.g. "17.4". */
  text: string;
}

export interface CapacityFacts {
  maxConnections: number;
  superuserReserved: number;
  /** reserved_connections (PostgreSQL 16+); 0 before. */
  reserved: number;
  /** Client backends connected now, our own session excluded. */
  inUse: number;
  /** Of inUse: sessions of the same user on the same database (taken to be SkillFlaw's own, replaced by its pools). */
  sameUserInUse: number;
  /** Slots SkillFlaw's pools can fill: max_connections - reserved - (inUse - sameUserInUse). */
  available: number;
  instances: number;
  workers: number;
  /** pool_size + max_overflow per process; null when unbounded or unknown. */
  perProcess: number | null;
  /** workers × perProcess. */
  perInstance: number | null;
  /** instances × perInstance. */
  demand: number | null;
}

export interface SchemaFacts {
  /** The schema SkillFlaw's tables go into: current_schema() under the session's search_path. */
  schema: string | null;
  alembicTable: boolean;
  /** The alembic revision(s) recorded; empty when the table is empty or missing. */
  alembicVersions: string[];
  present: string[];
  missing: string[];
  state: "complete" | "empty" | "partial";
}

export interface ClientGroup {
  clientAddr: string | null;
  usename: string | null;
  applicationName: string | null;
  state: string | null;
  ssl: boolean | null;
  sslVersion: string | null;
  count: number;
  /** The rows' details are hidden from our role (no pg_read_all_stats, another user's sessions). */
  hidden: boolean;
}

export interface ClientsFacts {
  database: string;
  groups: ClientGroup[];
  /** Sessions in the database other than ours. */
  total: number;
  /** Of those, how many have their address, state and query hidden from our role. */
  hiddenSessions: number;
  /** Our role can read every session's details (superuser, or pg_read_all_stats). */
  canReadAllStats: boolean;
  migrationLock: { pid: number; clientAddr: string | null; applicationName: string | null; granted: boolean }[];
}

export interface SessionSummary {
  host: string;
  port: string;
  user: string;
  database: string;
  sslmode: SslMode | null;
  ssl: boolean;
  sslVersion: string | null;
}

export interface LiveFacts {
  session: SessionSummary;
  /** Both ends of our own link and PgBouncer's console, for pooler detection (ops/pooler.ts). */
  poolerSigns?: SessionSigns;
  version: VersionFacts;
  capacity: StageResult<CapacityFacts>;
  schema: StageResult<SchemaFacts>;
  clients?: StageResult<ClientsFacts>;
}

export interface OpsFacts {
  pool: PoolFacts;
  /** --instances (1 without it). */
  instances: number;
  /** --workers, else SKILLFLAW_WORKERS, else 1. */
  workers: number;
  provider: ProviderFacts | null;
  /** The host libpq tries first, "host:port"; null when there is none. */
  firstHost: string | null;
  /** Whether a session was tried: not under --offline, and libpq would accept the parameters. */
  liveTried: boolean;
  live: StageResult<LiveFacts>;
  /**
   * The pooler or proxy between the client and PostgreSQL, when a sign shows one (null: none seen). `check` adds what
   * the matrix and the probe saw (engine/live.ts).
   */
  pooler?: PoolerFacts | null;
  /** The answer to a credential-free startup with a parameter PgBouncer refuses, when no session could be opened. */
  poolerStartup?: StartupSign;
}
