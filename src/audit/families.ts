// Families of environment variables that together make one connection: libpq's own PG* (PGHOST, PGSSLMODE...),
// n8n's DB_POSTGRESDB_* (read by node-postgres), and prefixes with the usual suffixes (DB_HOST/DB_PORT/DB_PASSWORD,
// POSTGRES_USER/POSTGRES_PASSWORD, ZITADEL_DATABASE_POSTGRES_USER_SSL_MODE). Variables whose name ends in
// DATABASE_URL (SKILLFLAW_DATABASE_URL, LANGFLOW_DATABASE_URL, N8N_DATABASE_URL...) hold a whole connection string and
// are read by the string readers; this module assembles the others.
import { assemble, type Candidate, isPostgresCandidate, keyWords } from "./parts.js";
import type { PartName, PartRef, RawSetting } from "./types.js";

/** One variable as the reader found it. `from`: its value comes from a secret store the audit cannot read. */
export interface EnvVar {
  value: string;
  line: number;
  column: number;
  from?: string;
}

export type EnvVars = Readonly<Record<string, EnvVar>>;

/** libpq's environment variables (libpq-envars.html) and the parameter each sets. */
export const PG_ENV: Readonly<Record<string, string>> = {
  PGHOST: "host",
  PGHOSTADDR: "hostaddr",
  PGPORT: "port",
  PGDATABASE: "dbname",
  PGUSER: "user",
  PGPASSWORD: "password",
  PGPASSFILE: "passfile",
  PGSERVICE: "service",
  PGSERVICEFILE: "servicefile",
  PGOPTIONS: "options",
  PGAPPNAME: "application_name",
  PGSSLMODE: "sslmode",
  PGREQUIRESSL: "requiressl",
  PGSSLCOMPRESSION: "sslcompression",
  PGSSLCERT: "sslcert",
  PGSSLKEY: "sslkey",
  PGSSLCERTMODE: "sslcertmode",
  PGSSLROOTCERT: "sslrootcert",
  PGSSLCRL: "sslcrl",
  PGSSLCRLDIR: "sslcrldir",
  PGSSLSNI: "sslsni",
  PGSSLNEGOTIATION: "sslnegotiation",
  PGREQUIREPEER: "requirepeer",
  PGSSLMINPROTOCOLVERSION: "ssl_min_protocol_version",
  PGSSLMAXPROTOCOLVERSION: "ssl_max_protocol_version",
  PGGSSENCMODE: "gssencmode",
  PGKRBSRVNAME: "krbsrvname",
  PGGSSLIB: "gsslib",
  PGGSSDELEGATION: "gssdelegation",
  PGCONNECT_TIMEOUT: "connect_timeout",
  PGCLIENTENCODING: "client_encoding",
  PGTARGETSESSIONATTRS: "target_session_attrs",
  PGLOADBALANCEHOSTS: "load_balance_hosts",
  PGCHANNELBINDING: "channel_binding",
};

/** The PG* variables that make a connection worth auditing on their own (a host, a password or an sslmode). */
const PG_ANCHORS = ["PGHOST", "PGHOSTADDR", "PGPASSWORD", "PGSSLMODE", "PGSERVICE"];

/** Does this environment set libpq's variables enough to be a setting of its own (no URL in it)? */
export function hasPgEnvironment(vars: EnvVars): boolean {
  return PG_ANCHORS.some((k) => vars[k] !== undefined && (vars[k]?.value.trim() !== "" || vars[k]?.from !== undefined));
}

/** The parts the PG* variables set, for the report (the values reach libpq as its environment). */
export function pgEnvironmentParts(vars: EnvVars): Partial<Record<PartName, PartRef>> {
  const parts: Partial<Record<PartName, PartRef>> = {};
  const names: Array<[string, PartName]> = [
    ["PGHOST", "host"],
    ["PGHOSTADDR", "hostaddr"],
    ["PGPORT", "port"],
    ["PGDATABASE", "dbname"],
    ["PGUSER", "user"],
    ["PGPASSWORD", "password"],
    ["PGSSLMODE", "sslmode"],
    ["PGSSLROOTCERT", "sslrootcert"],
    ["PGSSLCERT", "sslcert"],
    ["PGSSLKEY", "sslkey"],
  ];
  for (const [name, part] of names) {
    const v = vars[name];
    if (v === undefined) continue;
    parts[part] = { key: name, line: v.line, column: v.column, value: v.value, ...(v.from ? { from: v.from } : {}) };
  }
  return parts;
}

/** Suffixes of a prefix family and the part (or switch) each names. */
const SUFFIXES: ReadonlyArray<readonly [string, PartName | "ssl" | "driver"]> = [
  ["SSL_ROOT_CERT", "sslrootcert"],
  ["SSLROOTCERT", "sslrootcert"],
  ["SSL_ROOTCERT", "sslrootcert"],
  ["SSL_CA", "sslrootcert"],
  ["SSL_CERT", "sslcert"],
  ["SSLCERT", "sslcert"],
  ["SSL_KEY", "sslkey"],
  ["SSLKEY", "sslkey"],
  ["SSL_MODE", "sslmode"],
  ["SSLMODE", "sslmode"],
  ["SSL_ENABLED", "ssl"],
  ["USE_SSL", "ssl"],
  ["SSL", "ssl"],
  ["HOSTNAME", "host"],
  ["HOST", "host"],
  ["SERVER", "host"],
  ["PORT", "port"],
  ["DBNAME", "dbname"],
  ["DATABASE", "dbname"],
  ["NAME", "dbname"],
  ["DB", "dbname"],
  ["USERNAME", "user"],
  ["USER", "user"],
  ["LOGIN", "user"],
  ["PASSWORD", "password"],
  ["PASSWD", "password"],
  ["PASS", "password"],
  ["PWD", "password"],
  ["TYPE", "driver"],
  ["DRIVER", "driver"],
  ["ENGINE", "driver"],
  ["DIALECT", "driver"],
  ["CONNECTION", "driver"],
];

const ROLE_WORDS = new Set(["USER", "ADMIN", "ADMINUSER", "OWNER", "SUPERUSER", "MIGRATION", "MIGRATOR", "APP"]);

interface Group {
  prefix: string;
  parts: Partial<Record<PartName, PartRef>>;
  ssl?: PartRef;
  driver?: PartRef;
}

function ref(name: string, v: EnvVar): PartRef {
  return { key: name, line: v.line, column: v.column, value: v.value, ...(v.from ? { from: v.from } : {}) };
}

/** n8n reads DB_POSTGRESDB_* only when DB_TYPE is postgresdb (its default is SQLite). */
function n8nSetting(vars: EnvVars, base: Pick<RawSetting, "file" | "source"> & Partial<RawSetting>): RawSetting | null {
  const names = Object.keys(vars).filter((k) => k.startsWith("DB_POSTGRESDB_"));
  if (names.length === 0) return null;
  const at = (suffix: string) => {
    const v = vars[`DB_POSTGRESDB_${suffix}`];
    return v === undefined ? undefined : ref(`DB_POSTGRESDB_${suffix}`, v);
  };
  const parts: Partial<Record<PartName, PartRef>> = {};
  const map: Array<[string, PartName]> = [
    ["HOST", "host"],
    ["PORT", "port"],
    ["DATABASE", "dbname"],
    ["USER", "user"],
    ["PASSWORD", "password"],
    ["SSL_CERT", "sslcert"],
    ["SSL_KEY", "sslkey"],
  ];
  for (const [suffix, part] of map) {
    const r = at(suffix);
    if (r) parts[part] = r;
  }
  // DB_POSTGRESDB_SSL_CA holds a path or the certificate itself: only a path is a file to look at.
  const ca = at("SSL_CA");
  if (ca && !ca.value.includes("-----BEGIN")) parts.sslrootcert = ca;
  const c: Candidate = {
    parts,
    extraSecrets: [],
    words: ["db", "postgresdb"],
    client: "node-postgres",
    // n8n's PostgresConfig defaults (packages/@n8n/config): localhost:5432, database n8n, user postgres.
    defaults: { host: "localhost", port: "5432", dbname: "n8n", user: "postgres" },
  };
  const sw = at("SSL_ENABLED");
  if (sw) c.sslSwitch = sw;
  const verify = at("SSL_REJECT_UNAUTHORIZED");
  if (verify) c.sslVerify = verify;
  const type = vars.DB_TYPE;
  const s = assemble(c, base);
  if (type === undefined || (type.from === undefined && !/^postgres(?:db|ql)?$|\$/i.test(type.value.trim())))
    s.context = {
      ...s.context,
      inactive:
        type === undefined ? "DB_TYPE is not set: n8n uses SQLite" : `DB_TYPE=${type.value}: n8n does not use these`,
    };
  return s;
}

/** Prefix families (DB_HOST..., POSTGRES_PASSWORD..., ZITADEL_DATABASE_POSTGRES_USER_SSL_MODE). */
function prefixSettings(vars: EnvVars, base: Pick<RawSetting, "file" | "source"> & Partial<RawSetting>): RawSetting[] {
  const groups = new Map<string, Group>();
  for (const [name, v] of Object.entries(vars)) {
    if (name.startsWith("DB_POSTGRESDB_") || !/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    for (const [suffix, what] of SUFFIXES) {
      if (!name.endsWith(`_${suffix}`)) continue;
      const prefix = name.slice(0, -suffix.length - 1);
      if (prefix === "") continue;
      let g = groups.get(prefix);
      if (!g) {
        g = { prefix, parts: {} };
        groups.set(prefix, g);
      }
      const r = ref(name, v);
      if (what === "ssl") g.ssl = r;
      else if (what === "driver") g.driver = r;
      else if (g.parts[what] === undefined) g.parts[what] = r;
      break;
    }
  }
  const out: RawSetting[] = [];
  const parentsWithRoles = new Set<string>();
  for (const g of groups.values()) {
    const cut = g.prefix.lastIndexOf("_");
    const role = cut > 0 ? g.prefix.slice(cut + 1) : "";
    const parent = cut > 0 ? groups.get(g.prefix.slice(0, cut)) : undefined;
    // ZITADEL_DATABASE_POSTGRES_USER_*: a role of ZITADEL_DATABASE_POSTGRES_*, which names the server.
    if (parent && ROLE_WORDS.has(role) && g.parts.host === undefined) {
      parentsWithRoles.add(parent.prefix);
      for (const p of ["host", "hostaddr", "port", "dbname"] as const)
        if (g.parts[p] === undefined && parent.parts[p] !== undefined) g.parts[p] = parent.parts[p];
      g.driver ??= parent.driver;
    }
  }
  for (const g of groups.values()) {
    if (parentsWithRoles.has(g.prefix) && g.parts.user === undefined && g.parts.password === undefined) continue;
    const c: Candidate = { parts: g.parts, extraSecrets: [], words: keyWords(g.prefix), client: "unknown" };
    if (g.ssl) c.sslSwitch = g.ssl;
    if (g.driver) c.driver = g.driver;
    if (!isPostgresCandidate(c)) continue;
    // Named as the family, like n8n's DB_POSTGRESDB_*: a message says "POSTGRES_* in compose.yml:15".
    out.push(assemble(c, { ...base, variable: `${g.prefix}_*` }));
  }
  return out;
}

/** The settings a group of variables assembles to (PG* excluded: the caller decides, as it depends on URLs). */
export function familySettings(
  vars: EnvVars,
  base: Pick<RawSetting, "file" | "source"> & Partial<RawSetting>,
): RawSetting[] {
  const out: RawSetting[] = [];
  const n8n = n8nSetting(vars, { ...base, variable: "DB_POSTGRESDB_*" });
  if (n8n) out.push(n8n);
  out.push(...prefixSettings(vars, base));
  return out;
}
