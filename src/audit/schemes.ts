// Which values are PostgreSQL connection strings, and how a non-libpq spelling is turned into libpq's parameters.
// Only PostgreSQL schemes are judged with libpq's rules: postgres:// and postgresql:// (libpq), postgresql+driver://
// (SQLAlchemy, read then as psycopg hands it to libpq) and jdbc:postgresql: (pgjdbc, whose parameters are mapped to
// libpq's names); a scheme one typo away from postgres is judged too (the review should catch it). Any other scheme
// (prisma://, mysql://, redis://) is another system's and is left alone.

/** How a value is routed. */
export type Route = "libpq" | "jdbc" | "keyword-value" | "other" | "none";

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/** Damerau-Levenshtein distance of at most 1 (one insertion, deletion, substitution or swap). */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** postgres, postgresql, or one edit away from either (postgress, postgre, postgersql): judged as PostgreSQL. */
export function isPostgresScheme(name: string): boolean {
  const n = name.toLowerCase();
  return n === "postgres" || n === "postgresql" || withinOneEdit(n, "postgres") || withinOneEdit(n, "postgresql");
}

/** Where a value goes: libpq's readers, the JDBC mapping, a keyword/value string, another system, or nowhere. */
export function routeValue(value: string): Route {
  const v = value.trim();
  if (/^jdbc:postgresql:/i.test(v)) return "jdbc";
  const m = SCHEME.exec(v);
  if (m && (v.startsWith(`${m[1]}://`) || /^jdbc:/i.test(v))) {
    const base = (m[1] as string).split("+")[0] as string;
    return isPostgresScheme(base) ? "libpq" : "other";
  }
  if (/^\s*[a-z_]+\s*=/.test(v)) return "keyword-value";
  return "none";
}

/** A libpq keyword/value string from pairs, every value single-quoted (libpq-connect.html: \' and \\ escapes). */
export function toKeywordValue(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([k, v]) => `${k}='${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`).join(" ");
}

/** pgjdbc's names for libpq's parameters (PGProperty, case-sensitive), where the meaning is the same. */
const JDBC_NAMES: Readonly<Record<string, string>> = {
  user: "user",
  password: "password",
  sslmode: "sslmode",
  sslrootcert: "sslrootcert",
  sslcert: "sslcert",
  sslkey: "sslkey",
  sslpassword: "sslpassword",
  ApplicationName: "application_name",
  options: "options",
  connectTimeout: "connect_timeout",
  gssEncMode: "gssencmode",
  channelBinding: "channel_binding",
  sslNegotiation: "sslnegotiation",
};

/** pgjdbc's factory that accepts any server certificate (org.postgresql.ssl.NonValidatingFactory). */
const NON_VALIDATING = /(?:^|\.)NonValidatingFactory$/;

export interface JdbcReading {
  /** The equivalent libpq parameters, in the URL's order. */
  params: Array<[string, string]>;
  /** How pgjdbc's own rules changed a parameter, for the report. */
  notes: Partial<Record<string, string>>;
  /** Parameters pgjdbc reads that libpq has no equivalent for (left out of the judgment). */
  ignored: string[];
}

function jdbcDecode(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

/**
 * A jdbc:postgresql: URL read as pgjdbc reads it (Driver.parseURL): jdbc:postgresql://host1:port1,host2/db?k=v or
 * jdbc:postgresql:db; hosts default to localhost and ports to 5432; no user-info part (pgjdbc takes user= and
 * password= from the query). pgjdbc's sslmode default is prefer, but `ssl` (true or empty) without sslmode means
 * verify-full (SslMode.of), and NonValidatingFactory accepts any certificate, so no mode verifies anything.
 * Returns null for a URL pgjdbc rejects.
 */
export function readJdbcUrl(url: string): JdbcReading | null {
  const q = url.indexOf("?");
  let server = (q === -1 ? url : url.slice(0, q)).slice("jdbc:postgresql:".length);
  const args = q === -1 ? "" : url.slice(q + 1);
  const params: Array<[string, string]> = [];
  const notes: Partial<Record<string, string>> = {};
  const ignored: string[] = [];
  if (server === "//" || server === "///") server = "";
  else if (server.startsWith("//")) {
    server = server.slice(2);
    if ((server.match(/\//g) ?? []).length > 1) return null;
    const slash = server.indexOf("/");
    if (slash === -1) return null;
    if (!server.endsWith("/")) {
      const db = jdbcDecode(server.slice(slash + 1));
      if (db === null) return null;
      params.push(["dbname", db]);
    }
    const hosts: string[] = [];
    const ports: string[] = [];
    for (const address of server.slice(0, slash).split(",")) {
      const colon = address.lastIndexOf(":");
      if (colon !== -1 && address.lastIndexOf("]") < colon) {
        hosts.push(address.slice(0, colon) || "localhost");
        ports.push(address.slice(colon + 1));
      } else {
        hosts.push(address);
        ports.push("5432");
      }
    }
    params.unshift(["host", hosts.join(",")], ["port", ports.join(",")]);
  } else if (server.startsWith("/")) return null;
  else {
    const db = jdbcDecode(server);
    if (db === null) return null;
    params.push(["dbname", db]);
  }
  if (!params.some(([k]) => k === "host")) params.unshift(["host", "localhost"], ["port", "5432"]);

  let ssl: string | undefined;
  let sslmode: string | undefined;
  let factory: string | undefined;
  for (const token of args.split("&")) {
    if (token === "") continue;
    const eq = token.indexOf("=");
    const name = eq === -1 ? token : token.slice(0, eq);
    const value = eq === -1 ? "" : jdbcDecode(token.slice(eq + 1));
    if (value === null) return null;
    if (name === "ssl") {
      ssl = value;
      continue;
    }
    if (name === "sslfactory") {
      factory = value;
      continue;
    }
    if (name === "sslmode") sslmode = value;
    const libpq = Object.hasOwn(JDBC_NAMES, name) ? JDBC_NAMES[name] : undefined;
    if (libpq !== undefined) params.push([libpq, value]);
    else ignored.push(name);
  }
  if (sslmode === undefined) {
    if (ssl !== undefined && (ssl === "" || ssl.toLowerCase() === "true")) {
      params.push(["sslmode", "verify-full"]);
      notes.sslmode = `ssl=${ssl} without sslmode: pgjdbc uses verify-full`;
    } else {
      params.push(["sslmode", "prefer"]);
      notes.sslmode = "no sslmode: pgjdbc's default is prefer";
    }
  }
  if (factory !== undefined && NON_VALIDATING.test(factory)) {
    const at = params.findIndex(([k]) => k === "sslmode");
    const mode = (params[at]?.[1] ?? "prefer").toLowerCase();
    if (mode === "verify-ca" || mode === "verify-full") {
      params[at] = ["sslmode", "require"];
      notes.sslmode = `sslfactory=${factory} accepts any certificate: ${mode} verifies nothing, as require`;
    } else notes.sslmode = `${notes.sslmode ?? `sslmode=${mode}`}; sslfactory=${factory} accepts any certificate`;
  } else if (factory !== undefined) ignored.push("sslfactory");
  return { params, notes, ignored };
}
