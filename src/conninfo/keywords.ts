// libpq's connection keywords per major (PQconninfoOptions in fe-connect.c) with their environment variables.
// Sources: fe-connect.c of the PG13 tree (authtype/tty still present, channel_binding/sslpassword/ssl_*_protocol_version
// new), the PG17-dev tree (require_auth, sslcertmode, gssdelegation, load_balance_hosts), the 2025 tree (sslnegotiation,
// scram_*_key), libpq.md §4.3/§4.4 and the PG18 docs for the rest. Removed keywords carry `removedIn`.
import type { LibpqMajor } from "../model/options.js";

interface KeywordSpec {
  keyword: string;
  /** First major (within 12..18) whose libpq accepts it; 12 means "12 or earlier". */
  since: LibpqMajor;
  /** First major that no longer accepts it. */
  removedIn?: LibpqMajor;
  env?: string;
  /** Major that introduced the environment variable, when later than the keyword. */
  envSince?: LibpqMajor;
}

const SPECS: readonly KeywordSpec[] = [
  // Kept only "so as not to reject conninfo strings from old apps"; removed in 14 (commit "libpq: Remove deprecated
  // connection parameters authtype and tty").
  { keyword: "authtype", since: 12, removedIn: 14, env: "PGAUTHTYPE" },
  { keyword: "service", since: 12, env: "PGSERVICE" },
  { keyword: "user", since: 12, env: "PGUSER" },
  { keyword: "password", since: 12, env: "PGPASSWORD" },
  { keyword: "passfile", since: 12, env: "PGPASSFILE" },
  { keyword: "channel_binding", since: 13, env: "PGCHANNELBINDING" },
  { keyword: "connect_timeout", since: 12, env: "PGCONNECT_TIMEOUT" },
  { keyword: "dbname", since: 12, env: "PGDATABASE" },
  { keyword: "host", since: 12, env: "PGHOST" },
  { keyword: "hostaddr", since: 12, env: "PGHOSTADDR" },
  { keyword: "port", since: 12, env: "PGPORT" },
  { keyword: "client_encoding", since: 12, env: "PGCLIENTENCODING" },
  { keyword: "tty", since: 12, removedIn: 14, env: "PGTTY" },
  { keyword: "options", since: 12, env: "PGOPTIONS" },
  { keyword: "application_name", since: 12, env: "PGAPPNAME" },
  { keyword: "fallback_application_name", since: 12 },
  { keyword: "keepalives", since: 12 },
  { keyword: "keepalives_idle", since: 12 },
  { keyword: "keepalives_interval", since: 12 },
  { keyword: "keepalives_count", since: 12 },
  { keyword: "tcp_user_timeout", since: 12 },
  { keyword: "sslmode", since: 12, env: "PGSSLMODE" },
  { keyword: "sslnegotiation", since: 17, env: "PGSSLNEGOTIATION" },
  { keyword: "sslcompression", since: 12, env: "PGSSLCOMPRESSION" },
  { keyword: "sslcert", since: 12, env: "PGSSLCERT" },
  { keyword: "sslkey", since: 12, env: "PGSSLKEY" },
  { keyword: "sslcertmode", since: 16, env: "PGSSLCERTMODE" },
  { keyword: "sslpassword", since: 13 },
  { keyword: "sslkeylogfile", since: 18 },
  { keyword: "sslrootcert", since: 12, env: "PGSSLROOTCERT" },
  { keyword: "sslcrl", since: 12, env: "PGSSLCRL" },
  { keyword: "sslcrldir", since: 14, env: "PGSSLCRLDIR" },
  { keyword: "sslsni", since: 14, env: "PGSSLSNI" },
  { keyword: "requirepeer", since: 12, env: "PGREQUIREPEER" },
  { keyword: "require_auth", since: 16, env: "PGREQUIREAUTH" },
  { keyword: "min_protocol_version", since: 18, env: "PGMINPROTOCOLVERSION" },
  { keyword: "max_protocol_version", since: 18, env: "PGMAXPROTOCOLVERSION" },
  { keyword: "ssl_min_protocol_version", since: 13, env: "PGSSLMINPROTOCOLVERSION" },
  { keyword: "ssl_max_protocol_version", since: 13, env: "PGSSLMAXPROTOCOLVERSION" },
  { keyword: "gssencmode", since: 12, env: "PGGSSENCMODE" },
  { keyword: "krbsrvname", since: 12, env: "PGKRBSRVNAME" },
  { keyword: "gsslib", since: 12, env: "PGGSSLIB" },
  { keyword: "gssdelegation", since: 16, env: "PGGSSDELEGATION" },
  { keyword: "replication", since: 12 },
  { keyword: "target_session_attrs", since: 12, env: "PGTARGETSESSIONATTRS" },
  { keyword: "load_balance_hosts", since: 16, env: "PGLOADBALANCEHOSTS" },
  { keyword: "scram_client_key", since: 18 },
  { keyword: "scram_server_key", since: 18 },
  { keyword: "oauth_issuer", since: 18 },
  { keyword: "oauth_client_id", since: 18 },
  { keyword: "oauth_client_secret", since: 18 },
  { keyword: "oauth_scope", since: 18 },
];

const BY_KEYWORD = new Map(SPECS.map((s) => [s.keyword, s]));

function available(spec: KeywordSpec, major: LibpqMajor): boolean {
  return spec.since <= major && (spec.removedIn === undefined || major < spec.removedIn);
}

const tables = new Map<LibpqMajor, ReadonlySet<string>>();

/** The keywords PQconninfoParse of that major accepts (the alias `requiressl` is rewritten before the lookup). */
export function keywordsFor(major: LibpqMajor): ReadonlySet<string> {
  let t = tables.get(major);
  if (!t) {
    t = new Set(SPECS.filter((s) => available(s, major)).map((s) => s.keyword));
    tables.set(major, t);
  }
  return t;
}

/** Every keyword any modelled libpq knows; used by the did-you-mean and by redaction heuristics. */
export const ALL_KEYWORDS: ReadonlySet<string> = new Set(SPECS.map((s) => s.keyword));

/** The major that introduced a keyword, or null for one no modelled libpq knows. */
export function keywordIntroducedIn(keyword: string): LibpqMajor | null {
  return BY_KEYWORD.get(keyword)?.since ?? null;
}

/** The major that dropped a keyword (authtype, tty: 14), or null. */
export function keywordRemovedIn(keyword: string): LibpqMajor | null {
  return BY_KEYWORD.get(keyword)?.removedIn ?? null;
}

export interface LaterEnvVar {
  keyword: string;
  variable: string;
  since: LibpqMajor;
}
const laterTables = new Map<LibpqMajor, readonly LaterEnvVar[]>();

/** The environment variables only a newer libpq reads (PGSSLNEGOTIATION before 17): this major ignores them. */
export function laterEnvVars(major: LibpqMajor): readonly LaterEnvVar[] {
  let list = laterTables.get(major);
  if (!list) {
    list = SPECS.flatMap((s) => {
      const since = Math.max(s.since, s.envSince ?? s.since) as LibpqMajor;
      return s.env !== undefined && since > major && s.removedIn === undefined
        ? [{ keyword: s.keyword, variable: s.env, since }]
        : [];
    });
    laterTables.set(major, list);
  }
  return list;
}

/** The environment variable libpq of that major reads as the keyword's fallback (libpq.md §4.4). */
export function envVarFor(keyword: string, major: LibpqMajor): string | undefined {
  const spec = BY_KEYWORD.get(keyword);
  if (!spec?.env || !available(spec, major)) return undefined;
  if (spec.envSince !== undefined && major < spec.envSince) return undefined;
  return spec.env;
}
