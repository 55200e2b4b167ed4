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

export interface ClientExpectation {
  description: string;
  /** libpq keywords (sslmode, sslrootcert, host, ...); host defaults to 127.0.0.1, dbname to postgres. */
  settings: Record<string, string>;
  user: string;
  password?: string;
  ok: boolean;
  /** A substring of libpq's error text when ok is false. */
  errorIncludes?: string;
  /** The oldest libpq that understands these settings (e.g. 17 for sslnegotiation=direct). */
  minLibpq?: number;
}

export interface Scenario {
  name: string;
  description: string;
  spec: ServerSpec;
  expectations: ClientExpectation[];
  /** The oldest server major that can run it (direct SSL needs 17). */
  minMajor?: number;
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
