// Settings written as separate keys: the vocabulary that says which key holds which connection part (host,
// hostname, Host; dbname, database, MaintenanceDB; sslmode, ssl_mode, SSL: Mode...), the evidence that an object
// is about PostgreSQL, and the assembly of the parts into one setting (a libpq keyword/value string, each part's key
// and position kept). The readers (YAML/JSON objects, environment variable families) collect candidates; this
// module decides and builds.
import { isOnlyPlaceholder } from "./placeholders.js";
import type { ClientKind, PartName, PartRef, RawSetting } from "./types.js";

/** Results per key: a values file repeats the same few hundred keys, each looked at by several readers. */
const normCache = new Map<string, string>();
const wordsCache = new Map<string, readonly string[]>();
const CACHE_LIMIT = 10_000;

/** A key compared without case, `_`, `-` or `.`: ssl_mode, sslMode and SSLMode are one key. */
export function normKey(key: string): string {
  let n = normCache.get(key);
  if (n === undefined) {
    n = key.toLowerCase().replace(/[^a-z0-9]/g, "");
    if (normCache.size < CACHE_LIMIT) normCache.set(key, n);
  }
  return n;
}

/** The words of a key or a variable name: externalDatabase -> external, database; DB_POSTGRESDB -> db, postgresdb. */
export function keyWords(key: string): readonly string[] {
  let w = wordsCache.get(key);
  if (w === undefined) {
    w = key
      .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((x) => x !== "");
    if (wordsCache.size < CACHE_LIMIT) wordsCache.set(key, w);
  }
  return w;
}

/** What a key holds, as a part, a secret or a switch of the connection. */
export type KeyRole =
  | { kind: "part"; part: PartName }
  | { kind: "secret" }
  | { kind: "driver" }
  | { kind: "ssl-switch" }
  | { kind: "ssl-verify" }
  | { kind: "enabled" };

const PART_KEYS: Readonly<Record<string, PartName>> = {
  host: "host",
  hostname: "host",
  server: "host",
  servername: "host",
  dbhost: "host",
  databasehost: "host",
  hostaddr: "hostaddr",
  port: "port",
  dbport: "port",
  databaseport: "port",
  dbname: "dbname",
  database: "dbname",
  databasename: "dbname",
  db: "dbname",
  maintenancedb: "dbname",
  user: "user",
  username: "user",
  dbuser: "user",
  databaseuser: "user",
  masterusername: "user",
  password: "password",
  passwd: "password",
  dbpassword: "password",
  databasepassword: "password",
  masteruserpassword: "password",
  sslmode: "sslmode",
  sslrootcert: "sslrootcert",
  sslcert: "sslcert",
  sslkey: "sslkey",
};

/** Inside an `ssl:`/`SSL:`/`tls:` block: Mode, RootCert, Cert, Key (ZITADEL), ca (node-postgres). */
const SSL_BLOCK_KEYS: Readonly<Record<string, PartName>> = {
  mode: "sslmode",
  sslmode: "sslmode",
  rootcert: "sslrootcert",
  rootcertfile: "sslrootcert",
  sslrootcert: "sslrootcert",
  cert: "sslcert",
  certfile: "sslcert",
  sslcert: "sslcert",
  key: "sslkey",
  keyfile: "sslkey",
  sslkey: "sslkey",
};

/** Other passwords an object may hold next to its user's (an admin's, the postgres superuser's). */
const SECRET_KEYS = new Set([
  "postgrespassword",
  "postgresqlpassword",
  "adminpassword",
  "rootpassword",
  "superuserpassword",
  "replicationpassword",
]);

const DRIVER_KEYS = new Set([
  "driver",
  "scheme",
  "dialect",
  "engine",
  "adapter",
  "protocol",
  "vendor",
  "dbtype",
  "databasetype",
  "dbengine",
  "dbdriver",
  "dbconnection",
]);

/** The role of a key in an object, or null; `inSsl` inside an ssl/tls block. */
export function roleOfKey(key: string, inSsl = false): KeyRole | null {
  const k = normKey(key);
  if (inSsl) {
    const p = SSL_BLOCK_KEYS[k];
    if (p !== undefined) return { kind: "part", part: p };
    if (k === "enabled" || k === "enable") return { kind: "ssl-switch" };
    if (k === "rejectunauthorized" || k === "verify" || k === "verifyservercertificate") return { kind: "ssl-verify" };
    if (k === "ca" || k === "cafile" || k === "rootca") return { kind: "part", part: "sslrootcert" };
    return null;
  }
  const p = Object.hasOwn(PART_KEYS, k) ? PART_KEYS[k] : undefined;
  if (p !== undefined) return { kind: "part", part: p };
  if (k.endsWith("database") && k.length > "database".length && !k.startsWith("external"))
    return { kind: "part", part: "dbname" };
  if (SECRET_KEYS.has(k)) return { kind: "secret" };
  if (DRIVER_KEYS.has(k) || k === "type") return { kind: "driver" };
  if (k === "ssl" || k === "usessl" || k === "sslenabled" || k === "tls") return { kind: "ssl-switch" };
  if (k === "enabled") return { kind: "enabled" };
  return null;
}

/** Keys whose map value is merged into the object that holds it (its TLS options, libpq's own parameters). */
export function isSslBlockKey(key: string): boolean {
  const k = normKey(key);
  return k === "ssl" || k === "tls" || k === "sslconfig" || k === "tlsconfig";
}
export function isParamsBlockKey(key: string): boolean {
  const k = normKey(key);
  return k === "connectionparameters" || k === "connectionparams" || k === "params" || k === "parameters";
}

/** Words that say an object or variable is about PostgreSQL (or a database in general). */
const PG_WORDS = new Set(["postgres", "postgresql", "postgresdb", "pg", "pgsql", "psql", "rds", "aurora", "timescale"]);
const DB_WORDS = new Set(["db", "database", "databases", "sql", "datasource", "externaldatabase"]);
/** Words that say it is another system's: a host and password there are not PostgreSQL's. */
const OTHER_WORDS = new Set([
  "mysql",
  "mariadb",
  "mssql",
  "sqlserver",
  "oracle",
  "mongo",
  "mongodb",
  "redis",
  "valkey",
  "memcached",
  "rabbitmq",
  "amqp",
  "broker",
  "kafka",
  "smtp",
  "mail",
  "email",
  "ldap",
  "elasticsearch",
  "opensearch",
  "s3",
  "minio",
  "cache",
  "clickhouse",
  "influxdb",
  "cassandra",
  "sqlite",
  "ingress",
  "proxy",
  "ftp",
  "sftp",
  "registry",
  "vault",
  "oidc",
  "keycloak",
]);

export interface Evidence {
  pg: boolean;
  db: boolean;
  other: boolean;
}

/** What the words of a path (keys, variable prefix) say. */
export function wordsEvidence(words: readonly string[]): Evidence {
  let pg = false;
  let db = false;
  let other = false;
  for (const w of words) {
    if (PG_WORDS.has(w) || w.startsWith("postgres")) pg = true;
    else if (DB_WORDS.has(w)) db = true;
    else if (OTHER_WORDS.has(w)) other = true;
  }
  return { pg, db, other };
}

/** A driver/type/engine value: PostgreSQL, another database, or neither (`external`, `internal`). */
export function driverSays(value: string): "pg" | "other" | null {
  const v = value.toLowerCase();
  if (/postgres|pgsql|psycopg|^pg$|^pg[+:]|asyncpg|timescale|postgis|^aurora-postgresql$/.test(v)) return "pg";
  if (/mysql|maria|sqlite|mongo|redis|mssql|sqlserver|oracle|cassandra|clickhouse|cockroach|h2\b|derby|dynamo/.test(v))
    return "other";
  return null;
}

/** The client a driver value names: SQLAlchemy's postgresql[+psycopg] and libpq itself; n8n's postgresdb. */
export function clientOfDriver(value: string | undefined): ClientKind | null {
  if (value === undefined) return null;
  const v = value.trim().toLowerCase();
  if (/^(?:postgres|postgresql)(?:\+psycopg2?(?:cffi)?)?$|^libpq$/.test(v)) return "libpq";
  if (v === "postgresdb") return "node-postgres";
  return null;
}

/** A candidate: the parts found in one object (or one family of variables), before the decision. */
export interface Candidate {
  parts: Partial<Record<PartName, PartRef>>;
  extraSecrets: PartRef[];
  /** node-postgres style switches (ssl: true, DB_POSTGRESDB_SSL_ENABLED) and certificate check. */
  sslSwitch?: PartRef;
  sslVerify?: PartRef;
  driver?: PartRef;
  /** The object's words and its ancestors' (or the variables' prefix). */
  words: readonly string[];
  client: ClientKind;
  /** The client's defaults for parts not written (n8n: host localhost; ssl off). */
  defaults?: Partial<Record<PartName, string>>;
}

const TRUE = /^(?:true|yes|on|1|y)$/i;
const FALSE = /^(?:false|no|off|0|n)$/i;

function hasValue(p: PartRef | undefined): p is PartRef {
  return p !== undefined && (p.value.trim() !== "" || p.from !== undefined);
}

/**
 * Is the candidate a PostgreSQL setting worth auditing? It must say so (a PostgreSQL driver value, PostgreSQL or
 * database words in its path with no word of another system, an sslmode key, or port 5432 or 6432) and hold
 * something to judge: a host, a password or an sslmode.
 */
export function isPostgresCandidate(c: Candidate): boolean {
  const driver = c.driver ? driverSays(c.driver.value) : null;
  if (driver === "other") return false;
  const ev = wordsEvidence(c.words);
  const port = c.parts.port?.value.trim();
  const evidence =
    driver === "pg" ||
    c.client !== "unknown" ||
    (ev.pg && !ev.other) ||
    (!ev.other && (ev.db || c.parts.sslmode !== undefined || port === "5432" || port === "6432"));
  if (!evidence) return false;
  // Something to judge: where it connects, how, or a password written here (one from a Secret is as it should be).
  const literal = (p: PartRef | undefined) =>
    p !== undefined && p.from === undefined && p.value.trim() !== "" && !isOnlyPlaceholder(p.value);
  return (
    hasValue(c.parts.host) ||
    hasValue(c.parts.hostaddr) ||
    hasValue(c.parts.sslmode) ||
    literal(c.parts.password) ||
    c.extraSecrets.some(literal)
  );
}

/**
 * The sslmode a client's own switches amount to, where they are not libpq's sslmode: node-postgres (n8n) uses no
 * TLS unless ssl is enabled (or a CA, certificate or key is given), and then checks the certificate and host name
 * (Node's tls.connect) unless rejectUnauthorized is false; a generic `ssl: true` is taken as require (the audit does
 * not know whether that client checks the certificate), `ssl: false` as disable.
 */
function switchedSslMode(c: Candidate): { mode: string; mapped: string; at?: PartRef } | null {
  if (c.parts.sslmode !== undefined) return null;
  const sw = c.sslSwitch;
  const on = sw !== undefined && TRUE.test(sw.value.trim());
  const off = sw !== undefined && FALSE.test(sw.value.trim());
  if (c.client === "node-postgres") {
    const implied = hasValue(c.parts.sslrootcert) || hasValue(c.parts.sslcert) || hasValue(c.parts.sslkey);
    const enabled = on || (!off && implied);
    if (!enabled)
      return {
        mode: "disable",
        mapped: sw
          ? `${sw.key}=${sw.value}: node-postgres connects without TLS`
          : "no SSL switch set: node-postgres connects without TLS",
        ...(sw ? { at: sw } : {}),
      };
    const verify = c.sslVerify === undefined || !FALSE.test(c.sslVerify.value.trim());
    return verify
      ? {
          mode: "verify-full",
          mapped: "TLS with the certificate and host name checked (rejectUnauthorized)",
          ...(sw ? { at: sw } : {}),
        }
      : {
          mode: "require",
          mapped: `${c.sslVerify?.key}=${c.sslVerify?.value}: TLS without any certificate check`,
          ...(c.sslVerify ? { at: c.sslVerify } : {}),
        };
  }
  if (on)
    return {
      mode: "require",
      mapped: `${sw.key}: ${sw.value}, taken as require (TLS, no certificate check known)`,
      at: sw,
    };
  if (off) return { mode: "disable", mapped: `${sw.key}: ${sw.value}: no TLS`, at: sw };
  return null;
}

/**
 * One setting from a candidate: each part's key and position (the client's defaults for parts not written, and the
 * sslmode its own switches amount to, included as parts), the client. The pipeline turns the parts into the
 * keyword/value string libpq would be given (src/audit/pipeline.ts), placeholders and secret references kept unknown.
 * The setting's own position is its host's, else its first part's.
 */
export function assemble(c: Candidate, base: Pick<RawSetting, "file" | "source"> & Partial<RawSetting>): RawSetting {
  const parts: Partial<Record<PartName, PartRef>> = { ...c.parts };
  const written = Object.values(c.parts)[0];
  const anchor = c.parts.host ?? c.parts.hostaddr ?? written ?? c.extraSecrets[0];
  const switched = switchedSslMode(c);
  if (switched) {
    const at = switched.at ?? anchor;
    parts.sslmode = {
      key: switched.at?.key ?? "(not set)",
      line: at?.line ?? 1,
      column: at?.column ?? 1,
      value: switched.mode,
      mapped: switched.mapped,
    };
  }
  for (const [name, value] of Object.entries(c.defaults ?? {}) as Array<[PartName, string]>)
    if (parts[name] === undefined)
      parts[name] = {
        key: "(not set)",
        line: anchor?.line ?? 1,
        column: anchor?.column ?? 1,
        value,
        mapped: `not set: the client's default is ${value}`,
      };
  const setting: RawSetting = {
    ...base,
    line: anchor?.line ?? 1,
    column: anchor?.column ?? 1,
    value: "",
    form: "parts",
    client: c.client,
    parts,
  };
  if (c.extraSecrets.length > 0) setting.extraSecrets = c.extraSecrets;
  return setting;
}
