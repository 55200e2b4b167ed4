// The audit stage's facts: what the extractors read (raw, internal), the problems they met, each setting as
// measured (redacted) and where it is stored. The report around them is src/report/audit.ts.
import type { ConninfoFacts, EffectiveParam } from "../conninfo/types.js";
import type { SourceLocation } from "../model/finding.js";
import type { FailOn, LibpqMajor, UrlStyle } from "../model/options.js";
import type { StageResult } from "../model/stage.js";
import type { FilesFacts } from "../pki/types.js";
import type { ServerFacts } from "../probe/types.js";

/** How a setting's file was read. */
export type SourceKind =
  | "dotenv"
  | "compose"
  | "kubernetes-env"
  | "kubernetes-configmap"
  | "kubernetes-secret"
  | "helm-values"
  | "yaml"
  | "json"
  | "text";

/**
 * Who reads the setting, which decides how it is mapped to libpq's parameters and which defaults apply: libpq
 * itself (psql, psycopg, SkillFlaw through SQLAlchemy), pgjdbc (a jdbc:postgresql: URL), node-postgres (n8n's
 * DB_POSTGRESDB_*), pgx (ZITADEL's Database.Postgres), or an application the audit does not know.
 */
export type ClientKind = "libpq" | "jdbc" | "node-postgres" | "pgx" | "unknown";

/** The libpq parameters a setting written as separate keys can hold. */
export const PART_NAMES = [
  "host",
  "hostaddr",
  "port",
  "dbname",
  "user",
  "password",
  "sslmode",
  "sslrootcert",
  "sslcert",
  "sslkey",
] as const;
export type PartName = (typeof PART_NAMES)[number];

/** One connection part as written: the key that holds it and where its value starts. */
export interface PartRef {
  /** The key or variable as written (`externalDatabase.host`, `DB_POSTGRESDB_HOST`, `SSL.Mode`). */
  key: string;
  line: number;
  column: number;
  /** Raw (may be a secret): never leaves the pipeline. */
  value: string;
  /**
   * The value comes from somewhere the audit cannot read (a Kubernetes secretKeyRef, an ECS secret, a Helm
   * existingSecret): what the report says instead of a value.
   */
  from?: string;
  /** How a non-libpq spelling was translated (`DB_POSTGRESDB_SSL_ENABLED unset: node-postgres never uses TLS`). */
  mapped?: string;
}

/** Where the setting sits beyond its file, as the extractor saw it. */
export interface SettingContext {
  /**
   * Names that reach a container on the same machine as the client: the services of the same docker-compose file
   * (and their container_name, hostname and aliases), a CI job's service containers.
   */
  localNames?: readonly string[];
  /** The file is a CI pipeline (GitHub Actions, GitLab CI...): its databases are throwaway service containers. */
  ci?: boolean;
  /** Why the block is not used as written (`enabled: false`; `database.type` is `internal`). */
  inactive?: string;
  /** The environment (a .env file, a compose service, a container) the setting belongs to. */
  environment?: string;
}

/** A connection setting as an extractor found it. `value` is raw and may hold secrets: it never leaves the pipeline. */
export interface RawSetting {
  file: string;
  line: number;
  /** 1-based, in UTF-16 code units (SARIF's default columnKind), of the value's first character. */
  column: number;
  /** The variable or key that holds the value; undefined for a URL found in plain text. */
  variable?: string;
  /** The YAML path of the value (Helm values, generic YAML), e.g. `database.url` or `spec.containers[0].env[1]`. */
  path?: string;
  source: SourceKind;
  value: string;
  /** Decoded from base64 (a Kubernetes Secret's `data`). */
  base64?: boolean;
  /** Other variables that the application sees next to this one (same .env file, compose service, container). */
  siblings?: Record<string, { value: string; line: number }>;
  /**
   * How the value is written: one connection string (the default), separate keys assembled into one setting
   * (`value` is then the keyword/value string built from `parts`), or only libpq's PG* variables (`value` is empty
   * and `siblings` hold them).
   */
  form?: "string" | "parts" | "environment";
  /** Who reads it (default libpq). */
  client?: ClientKind;
  /** Each part's key and position (parts and environment forms). */
  parts?: Partial<Record<PartName, PartRef>>;
  /** Other literal passwords in the same object (`postgresPassword`, `adminPassword`): secrets, never parts. */
  extraSecrets?: PartRef[];
  context?: SettingContext;
  /**
   * How `$` is read where the value is stored: docker compose interpolates `$NAME` and `${NAME}` and writes a
   * literal dollar as `$$`; a shell script expands `$NAME`; elsewhere (python-dotenv, Kubernetes, Helm values) only
   * `${...}`, `$(...)` and `{{ }}` stand for something else.
   */
  syntax?: "compose" | "shell";
}

/** A group of variables one process or container sees: a .env file, a compose service, a container's env. */
export interface EnvironmentRecord {
  id: string;
  file: string;
  line: number;
  column: number;
  /** What it is, for messages: `.env`, `service langflow`, `container skillflaw`. */
  label: string;
  kind: "dotenv" | "compose-service" | "container" | "configmap" | "script" | "other";
  /**
   * Environments with the same value run on one machine and share its ports and file system: the .env files of one
   * directory; null when the audit cannot tell (a Kubernetes pod).
   */
  host: string | null;
  /** Processes in containers each have their own network and file system, unless shared explicitly. */
  isolated: boolean;
  vars: Record<string, { value: string; line: number; column: number }>;
  /** Host ports a container publishes (docker-compose `ports:`), as written. */
  publishedPorts?: Array<{ port: string; line: number; column: number }>;
  /** The container uses the host's network stack (`network_mode: host`). */
  hostNetwork?: boolean;
  /** Volume mounts: what is mounted (a named volume or a host path) and where. */
  mounts?: Array<{ source: string; target: string }>;
}

/** A PostgreSQL server the tree itself runs (a docker-compose service of a postgres image), as configured. */
export interface DeclaredServer {
  file: string;
  line: number;
  column: number;
  /** The compose service name (what clients in the same file connect to). */
  name: string;
  /** The `ssl` setting its command line passes (`-c ssl=off`). */
  ssl: "on" | "off";
  /** The option as written. */
  option: string;
}

/** A problem met while reading a file (not with one setting in it). */
export interface FileProblem {
  file: string;
  line?: number;
  column?: number;
  /**
   * unparseable: a YAML syntax error; unreadable: the file could not be read or decoded; dotenv: a statement
   * python-dotenv skips (the rest of the file is still read).
   */
  kind: "unparseable" | "unreadable" | "dotenv";
  /** What the reader said: the parser's error, the reason the file could not be read, python-dotenv's warning. */
  message: string;
}

export interface ExtractResult {
  settings: RawSetting[];
  problems: FileProblem[];
  environments?: EnvironmentRecord[];
  servers?: DeclaredServer[];
}

/** Where a host is, seen from the client: what the review's severity depends on. */
export type Reach =
  /** A Unix-domain socket: no network, sslmode does not apply. */
  | "socket"
  /** localhost, 127.0.0.0/8, ::1, host.docker.internal: the same machine. */
  | "loopback"
  /** A service of the same docker-compose file: a container on the same machine. */
  | "container"
  /** A CI job's service container (or localhost in a CI pipeline): a throwaway database. */
  | "ci-service"
  /** A placeholder: where it points is set elsewhere. */
  | "unknown"
  /** Any other name or address: the connection crosses a network. */
  | "remote";

/** A part's position as the report shows it (never its value). */
export interface PartFacts {
  key: string;
  line: number;
  column: number;
  from?: string;
  mapped?: string;
}

/** One setting as the audit measured it: where it is, how it was read, its (redacted) facts. */
export interface SettingFacts {
  /** Position in the report's `settings`, for cross references (servers[].settings). */
  id: number;
  location: SourceLocation & { line: number; column: number };
  variable: string | null;
  path?: string;
  source: SourceKind;
  /** Decoded from base64 data before it was read. */
  base64?: boolean;
  /** How libpq/SQLAlchemy read the value: uri, keyword-value or sqlalchemy-url. */
  format: ConninfoFacts["format"];
  urlStyle: "sqlalchemy" | "libpq";
  /** The value with every secret masked. */
  redacted: string;
  conninfo: ConninfoFacts;
  files: StageResult<FilesFacts>;
  /** Written as separate keys (parts) or only as PG* variables (environment), not one connection string. */
  form?: "parts" | "environment";
  /** Read by another client than libpq (its spelling mapped to libpq's parameters). */
  client?: Exclude<ClientKind, "libpq">;
  /** Each part's key and position, for a setting written as separate keys or variables. */
  parts?: Partial<Record<PartName, PartFacts>>;
  /** Parameters written as placeholders, with the placeholder's text: unknown to the audit, never a value. */
  placeholders?: Record<string, string>;
  /** How a non-libpq spelling was mapped to a libpq parameter, by parameter. */
  mapped?: Record<string, string>;
  /** Where the setting's hosts are (the farthest one). */
  reach?: Reach;
  /** The file is an example or template (*.example, *.sample, *.template, an examples/ directory). */
  example?: true;
  /** Why the block is not used as written. */
  inactive?: string;
}

/** A literal secret written in the scanned tree (never its value). */
export interface StoredSecret {
  /** The parameter or key: password, sslpassword, postgresPassword... */
  field: string;
  location: SourceLocation & { line: number; column: number };
  /** Why it looks like a stand-in (changeme, the user name repeated), or null for what looks like a real password. */
  dummy: string | null;
  /** Where it is written in other words than the setting's own (a sibling PGPASSWORD line). */
  via?: string;
}

/** Where and how one setting is stored, as the audit family's rules judge it (never the raw value). */
export interface StoredSetting {
  id: number;
  file: string;
  line: number;
  column: number;
  variable?: string;
  path?: string;
  source: SourceKind;
  /** Decoded from a Secret's base64 `data`. */
  base64: boolean;
  form: "string" | "parts" | "environment";
  client: ClientKind;
  /** Every TCP or socket host the setting names, with where it is. */
  hosts: Array<{ host: string; reach: Reach }>;
  /** The farthest of them (remote before unknown before the local kinds). */
  reach: Reach;
  example: boolean;
  /** The file is a CI pipeline (its databases are service containers of a throwaway job). */
  ci: boolean;
  inactive?: string;
  /** Parameters written as placeholders: the placeholder's text (defaults masked). */
  placeholders: Readonly<Record<string, string>>;
  /** How a non-libpq spelling was mapped to a parameter (pgjdbc's default sslmode, node-postgres' ssl switch). */
  notes: Readonly<Record<string, string>>;
  /** The literal secrets written in the tree: in the value, a sibling variable, or another key of the object. */
  secrets: StoredSecret[];
  /** The certificate, key and CRL files the setting names, and whether they exist on the auditing machine. */
  files: Array<{ param: string; path: string; exists: boolean }>;
  /** Each part's key and position (for findings to point at the sslmode line of a values file). */
  parts: Readonly<Partial<Record<PartName, PartFacts>>>;
  /** The parameters as the setting and the variables next to it set them (libpq's compiled-in defaults included). */
  effective: Readonly<Record<string, EffectiveParam>>;
}

/** A SkillFlaw (or Langflow) process as the tree configures it: one environment with the database URL variable. */
export interface AppInstance {
  /** The environment's label and where it starts. */
  label: string;
  file: string;
  line: number;
  column: number;
  /** The setting of its database URL (report id). */
  setting: number;
  /** SKILLFLAW_ or LANGFLOW_ (SkillFlaw is Langflow with its own prefix). */
  prefix: "SKILLFLAW_" | "LANGFLOW_";
  /** Instances with the same value run on one machine; null when the audit cannot tell. */
  host: string | null;
  /** host:port/dbname of the database, placeholders as written; null when it cannot be told. */
  database: string | null;
  sslmode: string | null;
  sslrootcert: string | null;
  /** The ports it occupies on its machine (none for a container that publishes none). */
  ports: Array<{ value: string; explicit: boolean; line: number; column: number }>;
  /**
   * Its configuration directory as a path on the machine, or null when it is the container's own (not shared):
   * SKILLFLAW_CONFIG_DIR, or the platform cache directory of the user it runs as when unset.
   */
  configDir: { value: string; explicit: boolean; line: number; column: number } | null;
}

/** A server the tree runs and the settings in the same file that connect to it. */
export interface TreeServer {
  server: DeclaredServer;
  clients: Array<{ setting: number; file: string; line: number; column: number; sslmode: string }>;
}

/** The audit's part of the rules' facts: what reading one file met, one stored setting, or the tree as a whole. */
export interface AuditFacts {
  problems?: readonly FileProblem[];
  setting?: StoredSetting;
  tree?: { instances: readonly AppInstance[]; servers: readonly TreeServer[] };
}

export interface AuditServer {
  host: string;
  port: number;
  hostaddr?: string;
  /** Ids of the settings that point at this endpoint with the same TLS settings. */
  settings: number[];
  result: StageResult<ServerFacts>;
}

export interface AuditOptions {
  paths: string[];
  include: string[];
  exclude: string[];
  /** Read files .gitignore excludes too. */
  noIgnore: boolean;
  live: boolean;
  concurrency: number;
  libpq: LibpqMajor;
  urlStyle: UrlStyle;
  timeoutMs: number;
  /** The whole live stage (--deadline); default DEADLINE_FACTOR × timeoutMs. */
  deadlineMs?: number;
  failOn: FailOn;
  warnDays: number;
  /** The modelled client's OpenSSL security level, for chain verdicts (the certificate rules' choice). */
  securityLevel: number;
  now: Date;
  cwd: string;
}
