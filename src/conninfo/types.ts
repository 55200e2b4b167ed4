// Facts about the connection string. Internal types may hold secrets (a session needs the password);
// ConninfoFacts, the one that goes into the report, never does; nor do the facts the rules read (below).

import type { LibpqMajor } from "../model/options.js";

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
  /** SQLAlchemy and its driver accept the URL (the dialect loads, the connect arguments build). */
  valid?: boolean;
}

export interface ConninfoFacts {
  /** The string is usable: libpq accepts the parameters and, for a SQLAlchemy URL, SQLAlchemy accepts the URL. */
  valid: boolean;
  /** libpq alone would accept these parameters (no parse or option error), whatever SQLAlchemy says. */
  libpqValid?: boolean;
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

// ---- What the rules judge (the Facts bag's conninfo, url and env parts). Masked like ConninfoFacts: no raw secret.

/** Where a variable is set: an --env-file line, or (absent) the process environment. */
export interface VariableOrigin {
  variable: string;
  file?: string;
  line?: number;
}

/** What libpq's keyword table says about a keyword the modelled libpq rejects. */
export interface UnknownKeywordFacts {
  /** The major that introduced it (null: no libpq knows it). */
  introducedIn: LibpqMajor | null;
  /** The major that dropped it (authtype, tty: 14), or null. */
  removedIn: LibpqMajor | null;
  /** The keyword libpq most likely meant (sslMode, ssl_mode -> sslmode), or null. */
  closest: string | null;
  /**
   * For `ssl` only: the value written for it (`ssl=1`, `ssl=false`), to tell which sslmode was meant. Other unknown
   * keywords' values are never copied: a misspelt password keyword's value is a password.
   */
  given?: string;
}

/** What an invalid value of an enumerated parameter (sslmode, gssencmode, ...) was, and what libpq accepts. */
export interface EnumValueFacts {
  /** The value given (masked like the effective values). */
  value: string;
  accepted: readonly string[];
  /** The accepted value most likely meant (verify_full -> verify-full, true -> require), or null. */
  closest: string | null;
}

/** One of libpq's errors (redacted) with what the stage knows about its keyword or value. */
export interface ConninfoErrorFacts extends ConninfoError {
  /** A parse error naming a keyword this libpq does not know. */
  unknownKeyword?: UnknownKeywordFacts;
  /** An option error about a value outside an enumerated parameter's accepted set. */
  enumValue?: EnumValueFacts;
}

/** The root CA file libpq will read under verify-ca/verify-full (and under require when it exists). */
export interface RootFileFacts {
  path: string;
  /** Measured by the stage (relative paths against the directory libpq would run in). */
  exists: boolean;
}

/** The report's conninfo facts plus what only the rules need. */
export interface ConninfoRuleFacts extends ConninfoFacts {
  major: LibpqMajor;
  errors: ConninfoErrorFacts[];
  /** sslrootcert (or its ~/.postgresql default): null when unset, empty or "system". */
  rootFile: RootFileFacts | null;
  /** The string starts with a scheme ("x://"): a libpq parse error may come from a URL libpq does not take. */
  schemeUrl: boolean;
  /** Set environment variables that only a newer libpq reads (PGSSLNEGOTIATION before 17): this one ignores them. */
  unreadEnv: UnreadVariable[];
}

export interface UnreadVariable extends VariableOrigin {
  keyword: string;
  /** The libpq major that reads it. */
  since: LibpqMajor;
  value: string;
}

/** A field of a URL a parser read differently from what the writer meant (both masked). */
export interface FieldMisreading {
  field: "host" | "port" | "dbname" | "user";
  read: string | null;
  meant: string | null;
}

export interface UserinfoMisreading {
  parser: "sqlalchemy" | "libpq";
  /** false: with the characters unescaped the parser rejects the string altogether. */
  parsed: boolean;
  fields: FieldMisreading[];
  /** The password it read is not the intended one (never shown). */
  passwordDiffers: boolean;
}

/** The user-info of a URL with unescaped reserved characters, and how each parser misreads it. */
export interface UserinfoRuleFacts {
  userChars: string[];
  passwordChars: string[];
  /** The URL with those characters percent-encoded and the password masked. */
  template: string;
  /** Only the parsers whose reading differs from the intended one (SQLAlchemy first). */
  misreadings: UserinfoMisreading[];
}

export interface SqlAlchemyRuleFacts {
  /** What make_url() made of it; when it failed, why (port: int() rejected the text after the host's ':'). */
  parse:
    | { ok: true; drivername: string }
    | {
        ok: false;
        kind: "unparseable" | "port";
        /** The part before the path holds a comma after a ':' (h1:5432,h2:5433). */
        hostListInNetloc: boolean;
      };
  /** get_dialect()'s outcome for the URL's scheme. */
  dialect?: { dialect: string; driver: string | null; loadError: string | null };
  /** The PostgreSQL dialect's create_connect_args rejected the host/port query (SQLAlchemy's exception text). */
  argsError?: string;
  /** The URL sets options= and SkillFlaw's connect_args replace it. */
  urlOptionsReplaced: boolean;
}

/**
 * What can be said about the password without holding it: whether it equals the user or the database name, and
 * its SHA-256 (of the lower-cased text) so a rule can compare it with a list of well-known defaults.
 */
export interface PasswordFacts {
  /** Where libpq gets it: the connection string, PGPASSWORD, the password file. */
  source: string;
  equalsUser: boolean;
  equalsDatabase: boolean;
  /** Hex SHA-256 of the password in lower case. */
  sha256Lower: string;
}

export interface UrlFacts {
  style: "sqlalchemy" | "libpq";
  /** The string itself holds a password (user-info or a password parameter). */
  passwordInString: boolean;
  /** The password libpq would send, when there is one (never the password itself). */
  password?: PasswordFacts;
  /** Every host is local (a Unix socket, localhost, a loopback address) or none is given. */
  localHostsOnly?: boolean;
  /** Absent when the string is not a URL or has no user-info. */
  userinfo?: UserinfoRuleFacts;
  /** Absent unless read as SQLAlchemy does. */
  sqlalchemy?: SqlAlchemyRuleFacts;
}

/** How the connection string is written, for the checks on quoting and whitespace (no part of the value). */
export interface ValueShape {
  /** It contains "://". */
  url: boolean;
  /** The quote character (' " `) it starts / ends with, ignoring surrounding whitespace; null for none. */
  leadingQuote: string | null;
  trailingQuote: string | null;
  whitespace: { leading: boolean; trailing: boolean; lineBreak: boolean; inner: boolean };
}

/** The password file libpq reads and what it finds for each host (the password itself stays in the stage). */
export interface PassfileRuleFacts {
  path: string;
  perHost: { host: string; status: "missing" | "not-regular" | "insecure" | "no-match" | "match"; mode?: number }[];
}

/** The environment around the connection string, as libpq and SkillFlaw see it. */
export interface EnvFacts {
  shape: ValueShape;
  /** PG* variables that are set to "" (libpq takes "" as the value). */
  emptyVariables: VariableOrigin[];
  /** SkillFlaw's web-server TLS variables that are set, with the paths they name (not secrets). */
  webServerTls: (VariableOrigin & { value: string })[];
  passfile?: PassfileRuleFacts;
  /** SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS when set (for a postgresql URL): whether it is a JSON object. */
  driverSettings?: VariableOrigin & { jsonObject: boolean };
}
