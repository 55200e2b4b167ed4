/** The lab's public types: a scenario is a server configuration plus what libpq should make of it. */

export type Backend = "embedded" | "system" | "docker";

export interface LabUser {
  name: string;
  password?: string;
  /** How the password is stored (md5 vs SCRAM verifier); `cert`/`trust` users get no password. */
  method?: "scram-sha-256" | "md5" | "cert" | "trust";
}

export interface ServerSpec {
  name: string;
  ssl: boolean;
  /** Paths (e.g. into certs/); copied into the data directory, owned by the server's user. */
  serverCert?: string;
  serverKey?: string;
  caFile?: string;
  crlFile?: string;
  /** postgresql.conf settings, applied after the lab's defaults. */
  settings?: Record<string, string>;
  /** pg_hba.conf lines. The lab prepends one `local` trust line for its own superuser (unix socket only). */
  hba: string[];
  users: LabUser[];
  databases?: string[];
  /**
   * Idle sessions the lab opens (as superuser, over the unix socket) and keeps until stop, so that a
   * small max_connections is already full when clients arrive ("sorry, too many clients already").
   */
  holdConnections?: number;
}

/** The real clients the lab's expectations are checked against (test/helpers/clients.ts runs them). */
export const ORACLE_CLIENTS = ["psql", "psycopg-binary", "psycopg2-binary"] as const;
export type OracleClient = (typeof ORACLE_CLIENTS)[number];

/** What a client's outcome can depend on, measured when it runs (never assumed from its name). */
export interface ClientTraits {
  client: OracleClient;
  /** The libpq major the client runs (PQlibVersion / 10000). */
  libpq: number;
  /** The client's OpenSSL as [major, minor] (e.g. [3, 0] for Debian 12's, [3, 5] for the wheels'). */
  openssl: [number, number];
  /** The server's major (a pooler's upstream for pooler scenarios). */
  serverMajor: number;
  backend: Backend;
}

/**
 * Which clients an outcome holds for. Every condition given must hold. `openssl` splits at 3.2, where OpenSSL
 * renamed its TLS alert texts ("sslv3 alert certificate expired" became "ssl/tls alert certificate expired").
 */
export interface ClientCondition {
  clients?: OracleClient[];
  libpqMin?: number;
  libpqMax?: number;
  openssl?: "<3.2" | ">=3.2";
  serverMajorMin?: number;
  serverMajorMax?: number;
  backends?: Backend[];
}

/** An outcome for the clients a condition selects, where they differ from the expectation's own ok/errorIncludes. */
export interface ClientOutcome extends ClientCondition {
  ok: boolean;
  /** A substring of the client's error text when ok is false. */
  errorIncludes?: string;
  /** When ok: whether the session is encrypted (e.g. false where prefer fell back to plaintext). */
  ssl?: boolean;
  /** Why these clients differ: the libpq/OpenSSL behaviour (and version) behind it. */
  why: string;
}

export interface ClientExpectation {
  description: string;
  /**
   * libpq keywords (sslmode, sslrootcert, host, ...); host defaults to 127.0.0.1, dbname to postgres, port to the
   * scenario's entry. `{port:NAME}` in a value is replaced by the port of the scenario's server (or pooler) NAME.
   */
  settings: Record<string, string>;
  user: string;
  password?: string;
  ok: boolean;
  /** A substring of libpq's error text when ok is false. */
  errorIncludes?: string;
  /** When ok: whether the session is encrypted (TLS), as the client itself reports it. */
  ssl?: boolean;
  /** The oldest libpq that understands these settings (e.g. 17 for sslnegotiation=direct). */
  minLibpq?: number;
  /** Per-client outcomes: the first whose condition matches a client replaces ok/errorIncludes for it. */
  clients?: ClientOutcome[];
  /** Extra environment for the client process (SSL_CERT_FILE, SSL_CERT_DIR, ...). */
  env?: Record<string, string>;
  /**
   * A directory that stands in for the system trust store: the client runs in a private mount namespace
   * (unshare -m) where it is bind-mounted over /etc/ssl/certs. The machine's own store is never changed.
   */
  systemStore?: string;
}

/**
 * A connection pooler the lab runs in front of one of the scenario's servers (issue 15: PgBouncer). Clients
 * reach it like a server; its own link to the upstream server is configured separately.
 */
export interface PoolerSpec {
  kind: "pgbouncer" | "pgpool";
  name: string;
  /** The ServerSpec (the scenario's spec or a companion) it forwards to, by name. */
  upstream: string;
  /** pgbouncer.ini [pgbouncer] settings (client_tls_sslmode, client_tls_key_file, auth_type, pool_mode, ...), or pgpool.conf's. */
  settings: Record<string, string>;
  /** Files the settings name (certificates, keys), copied next to its configuration and owned by its account. */
  files?: Record<string, string>;
  /**
   * What auth_file holds: the upstream's SCRAM secrets (the default, as auth_query would return them; PgBouncer logs
   * in to the server with the keys the client's SCRAM proved), or the lab password in the clear (auth_type=plain,
   * trust and cert, where no client SCRAM exchange gives PgBouncer keys for the server).
   */
  userlist?: "scram-secrets" | "plaintext";
}

export interface Scenario {
  name: string;
  description: string;
  spec: ServerSpec;
  expectations: ClientExpectation[];
  /** The oldest server major that can run it (direct SSL needs 17). */
  minMajor?: number;
  /** More servers started with spec (multi-host strings, a pooler's upstream); names must be unique lab-wide. */
  companions?: ServerSpec[];
  /** Poolers in front of spec or a companion. */
  poolers?: PoolerSpec[];
  /** The server or pooler whose port clients dial by default; spec.name when absent. */
  entry?: string;
}

export interface LabServer {
  name: string;
  host: "127.0.0.1";
  port: number;
  major: number;
  backend: Backend;
  spec: ServerSpec;
  /** The data directory; its parent is the server's own temporary directory (for docker, the path is the container's). */
  dataDir: string;
  /** The postmaster's pid (for docker: its host pid, the container's first process). */
  pid: number;
  /** For docker: the container. */
  containerId?: string;
  /** Set when this is a pooler in front of a server (spec and major are then its upstream's). */
  pooler?: PoolerSpec;
  /** Where the server's unix socket lives (the lab's superuser door). */
  socketDir: string;
  logFile: string;
  startupMs: number;
  stop(): Promise<void>;
}

export interface Lab {
  servers: Map<string, LabServer>;
  /** Scenarios that were asked for but cannot run on this backend's major, with the reason. */
  skipped: { name: string; reason: string }[];
  stop(): Promise<void>;
  startupMs: number;
}

export type Availability = { ok: true } | { ok: false; reason: string };
