// Facts of the operations stage: SkillFlaw's pool settings as its settings code reads them, the cloud provider the
// host name points at, and (with a session) the server's version, connection slots, schema and clients.
import type { SourceLocation } from "../model/finding.js";
import type { SslMode } from "../model/sslmode.js";
import type { StageResult } from "../model/stage.js";

/** Where one effective pool value came from, in SkillFlaw's order (deprecated variable > JSON > defaults). */
export type PoolValueSource =
  /** SkillFlaw's default dict (no SKILLFLAW_DB_CONNECTION_SETTINGS). */
  | { kind: "skillflaw-default" }
  /** SQLAlchemy's QueuePool default: the JSON was set but left this key out (the JSON replaces the whole dict). */
  | { kind: "sqlalchemy-default" }
  /** The JSON object, or a deprecated variable, or SKILLFLAW_WORKERS. */
  | { kind: "variable"; variable: string; location?: SourceLocation };

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
}

export interface VersionFacts {
  /** server_version_num, e.g. 170004. */
  num: number;
  /** server_version, e.g. "17.4". */
  text: string;
  /** SkillFlaw's floor: 15. */
  minimumMajor: number;
  ok: boolean;
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
  version: VersionFacts;
  capacity: StageResult<CapacityFacts>;
  schema: StageResult<SchemaFacts>;
  clients?: StageResult<ClientsFacts>;
}

export interface OpsFacts {
  pool: PoolFacts;
  instances: number;
  workers: number;
  provider: ProviderFacts | null;
  live: StageResult<LiveFacts>;
}
