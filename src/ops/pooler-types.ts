// The facts of pooler detection (issue 15), apart from the code that derives them (ops/pooler.ts) so that the stage's
// facts file (ops/types.ts) can name them without an import cycle.
import type { SslMode } from "../model/sslmode.js";
import type { StageResult } from "../model/stage.js";

export type PoolerKind = "pgbouncer" | "pgpool" | "supavisor" | "rds-proxy" | "proxy";

export type PoolerSign =
  | "backend-key"
  | "tls-split"
  | "ssl-answer"
  | "port-differs"
  | "admin-console"
  | "pool-version"
  | "error-text"
  | "startup"
  | "provider";

export interface PoolerEvidence {
  sign: PoolerSign;
  /** The kind this sign points at ("proxy" when it shows only that something sits in between). */
  points: PoolerKind;
  /** What was measured, in words a reader can check. */
  detail: string;
}

/** What our own session measured (ops stage): both ends of the link, as each end sees it. */
export interface SessionSigns {
  dialledPort: number;
  /** inet_server_port() of our backend; null over a unix socket. */
  serverPort: number | null;
  /** pg_backend_pid() of the backend that ran our queries. */
  backendPid: number;
  /** The pid field of the BackendKeyData the client was sent at startup. */
  keyPid: number | null;
  /** The client's own TLS protocol for this session (its handshake); null when the session is plaintext. */
  clientTls: string | null;
  /** pg_stat_ssl.ssl for our backend: the server's view of the connection it got. */
  serverSsl: boolean;
  serverSslVersion: string | null;
  /** current_setting('ssl'). */
  sslSetting: string;
  /** SHOW pool_version, when it answered (pgpool-II). */
  poolVersion: string | null;
  /** pgpool-II's settings from SHOW pool_status (any user may read them). */
  poolStatus?: PoolerConfig;
  /** What connecting to the database "pgbouncer" said: its admin console, when the first signs show a proxy. */
  adminConsole?: AdminConsoleFacts;
}

/** PgBouncer's settings from SHOW CONFIG on its admin console (admin_users or stats_users only). */
export interface PoolerConfig {
  maxClientConn: number | null;
  defaultPoolSize: number | null;
  maxDbConnections: number | null;
  poolMode: string | null;
  authType: string | null;
  clientTlsSslmode: string | null;
  serverTlsSslmode: string | null;
}

export type AdminConsoleFacts =
  /** The console answered SHOW CONFIG. */
  | { state: "readable"; config: PoolerConfig }
  /** PgBouncer refused our role on its console ("not allowed"): it is PgBouncer, its settings unknown. */
  | { state: "not-allowed"; message: string }
  /** No such database: not PgBouncer (or not reachable so). */
  | { state: "absent"; message: string }
  | { state: "error"; message: string };

/** How the server asked one sslmode's session to authenticate (from the matrix's attempts). */
export interface AuthObservation {
  sslmode: SslMode;
  /** Whether the channel the request came over was TLS. */
  encrypted: boolean;
  /** "password": AuthenticationCleartextPassword; "none": the session opened without any request. */
  requested: "password" | "md5" | "scram-sha-256" | "scram-sha-256-plus" | "none";
  /** A client certificate was offered on this TLS channel (then "none" may be certificate authentication). */
  clientCertificate: boolean;
}

/** A failed mode's error text and the SSLRequest answer, from the matrix and the probe. */
export interface WireSigns {
  errors: { sslmode: SslMode; message: string }[];
  /** The SSLRequest answer the probe got ('S' or 'N'); null when not probed. */
  sslAnswer: "S" | "N" | null;
  /** The server's ssl setting and pg_stat_ssl over the matrix's session, with the client side of that session. */
  matrixSession?: { sslmode: SslMode; sslSetting: string; serverSsl: boolean; clientTls: string | null };
  auth: AuthObservation[];
}

export interface PoolerFacts {
  kind: PoolerKind;
  name: string;
  /** certain: a sign only a pooler/proxy produces; likely: strong but indirect; possible: one weak sign. */
  confidence: "certain" | "likely" | "possible";
  evidence: PoolerEvidence[];
  /** The pooler's own limits and modes, where they could be read. */
  config: StageResult<PoolerConfig>;
  /** How each sslmode's session was asked to authenticate (the pooler's auth_type shows here). */
  auth: AuthObservation[];
  /** The client side of our session: what the client's own handshake used. */
  clientTls: string | null;
  /** The SSLRequest answer at the address: true 'S', false 'N', null not probed. */
  offersTls: boolean | null;
}
