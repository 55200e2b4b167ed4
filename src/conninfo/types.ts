// Facts about the connection string. Internal types may hold secrets (a session needs the password);
// ConninfoFacts, the one that goes into the report, never does.

export type ConninfoFormat = "uri" | "keyword-value" | "sqlalchemy-url";

/** Where an effective value came from, in libpq's precedence order. */
export type ParamSourceKind = "connstring" | "service" | "env" | "default" | "application";

export interface EffectiveParam {
  value: string;
  source: ParamSourceKind;
  /** The variable, service file and section, or default file path behind the value. */
  detail?: string;
}

/**
 * A problem libpq itself would report. `stage` says when libpq reports it:
 * "parse" (PQconninfoParse / PQconnectdb start) or "options" (pqConnectOptions2, before any network).
 */
export interface ConninfoError {
  stage: "parse" | "options";
  /** libpq's own message text for the modelled major. */
  message: string;
  keyword?: string;
}

export interface HostEntry {
  host: string;
  hostaddr?: string;
  port: string;
  kind: "dns" | "ip" | "unix-socket";
}

export interface SqlAlchemyFacts {
  drivername: string;
  dialect: string;
  driver: string | null;
  /** What SQLAlchemy's own parser read, redacted. */
  username: string | null;
  passwordSet: boolean;
  host: string | null;
  port: number | null;
  database: string | null;
  query: Record<string, string | string[]>;
}

export interface ConninfoFacts {
  /** libpq would accept these parameters (no parse or option error). */
  valid: boolean;
  format: ConninfoFormat;
  /** Exactly the parameters the string sets, libpq keyword names, decoded; password values masked. */
  params: Record<string, string>;
  /** params plus environment, service file and defaults, each with its source; secrets masked. */
  effective: Record<string, EffectiveParam>;
  errors: ConninfoError[];
  hosts: HostEntry[];
  sqlalchemy?: SqlAlchemyFacts;
  /** Whether libpq would find a password, and where (never the password itself). */
  password: { source: "connstring" | "env" | "passfile" | "none"; detail?: string };
}

export const MASK = "********";

/** Keywords whose values are secrets and must never be printed. */
export const SECRET_KEYWORDS: ReadonlySet<string> = new Set([
  "password",
  "sslpassword",
  "oauth_client_secret",
  "scram_client_key",
  "scram_server_key",
]);
