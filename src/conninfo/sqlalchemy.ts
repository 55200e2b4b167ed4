// What SkillFlaw's SQLAlchemy 2.x + psycopg 3 stack hands libpq for SKILLFLAW_DATABASE_URL.
// Modelled on sqlalchemy lib/sqlalchemy/engine/url.py `_parse_url` (its regex: the password runs to the FIRST `@`,
// the host may then contain `@`), `URL.translate_connect_args`, PGDialect `_split_multihost_from_url`,
// `_PGDialect_common_psycopg.create_connect_args`, create_engine's `cparams.update(connect_args)`, and psycopg's
// `make_conninfo` / `_param_escape`, which builds the keyword/value string that libpq finally parses.

/** The parts SQLAlchemy's URL regex captured, with their [start, end) offsets in the input. */
export interface SqlAlchemyUrl {
  drivername: string;
  username: string | null;
  password: string | null;
  host: string | null;
  port: number | null;
  database: string | null;
  query: Record<string, string | string[]>;
  /** Raw (undecoded) spans of the captured groups, for locating misreadings. */
  spans: Partial<Record<"username" | "password" | "host" | "port" | "database" | "query", [number, number]>>;
  rawPort: string | null;
}

export type SqlAlchemyParse =
  | { ok: true; url: SqlAlchemyUrl }
  | {
      ok: false;
      /** "unparseable": the regex does not match; "port": int() rejects the port text. */
      kind: "unparseable" | "port";
      /** The exception SkillFlaw's validator would catch, without echoing any part of the input. */
      error: string;
      spans?: SqlAlchemyUrl["spans"];
    };

// `\w` in Python 3 str patterns is Unicode-aware; \p{L}\p{N}_ is the same set for practical purposes.
const URL_PATTERN =
  /^(?<name>[\p{L}\p{N}_+]+):\/\/(?:(?<username>[^:/]*)(?::(?<password>[^@]*))?@)?(?:(?:\[(?<ipv6host>[^/?]+)\]|(?<ipv4host>[^/:?]+))?(?::(?<port>[^/?]*))?)?(?:\/(?<database>[^?]*))?(?:\?(?<query>[^\n]*))?/du;

const PY_WS = "\\t\\n\\v\\f\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_INT = new RegExp(`^[${PY_WS}]*([+-]?)(\\d(?:_?\\d)*)[${PY_WS}]*$`, "u");

/** Python's int(text) for base-10 ASCII digits (whitespace, sign and `_` separators allowed), or null. */
export function pythonInt(text: string): number | null {
  const m = PY_INT.exec(text);
  if (m === null) return null;
  const n = Number((m[2] ?? "").replace(/_/g, ""));
  return m[1] === "-" ? -n : n;
}

/** urllib.parse.unquote: valid %XX runs decode as UTF-8 (errors="replace"); anything else stays literal. */
export function pythonUnquote(s: string): string {
  if (!s.includes("%")) return s;
  let out = "";
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length) out += new TextDecoder("utf-8").decode(Uint8Array.from(bytes));
    bytes = [];
  };
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (s[i] === "%" && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    } else if (c < 0x80) {
      // ASCII goes through the same byte decode, so it ends a pending multi-byte sequence like Python does.
      bytes.push(c);
      i += 1;
    } else {
      flush();
      const cp = s.codePointAt(i)!;
      out += String.fromCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
    }
  }
  flush();
  return out;
}

/** urllib.parse.parse_qsl(qs) with its defaults: `&` only, `+` is a space, blank values and bare names dropped. */
export function pythonParseQsl(qs: string): [string, string][] {
  const out: [string, string][] = [];
  for (const field of qs.split("&")) {
    if (field === "") continue;
    const eq = field.indexOf("=");
    if (eq < 0) continue;
    const value = field.slice(eq + 1);
    if (value === "") continue;
    out.push([pythonUnquote(field.slice(0, eq).replace(/\+/g, " ")), pythonUnquote(value.replace(/\+/g, " "))]);
  }
  return out;
}

/** sqlalchemy.engine.url._parse_url. */
export function parseSqlAlchemyUrl(input: string): SqlAlchemyParse {
  const m = URL_PATTERN.exec(input);
  if (m === null || m.groups === undefined) {
    return { ok: false, kind: "unparseable", error: "Could not parse SQLAlchemy URL from given URL string" };
  }
  const g = m.groups;
  const ix = (m as RegExpExecArray & { indices?: { groups?: Record<string, [number, number] | undefined> } }).indices
    ?.groups;
  const spans: SqlAlchemyUrl["spans"] = {};
  for (const k of ["username", "password", "port", "database", "query"] as const) {
    const s = ix?.[k];
    if (s) spans[k] = s;
  }
  const hostSpan = ix?.ipv4host ?? ix?.ipv6host;
  if (hostSpan) spans.host = hostSpan;
  const query: Record<string, string | string[]> = {};
  if (g.query !== undefined) {
    for (const [k, v] of pythonParseQsl(g.query)) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
  }
  let port: number | null = null;
  // `if components["port"]: int(port)`, then URL.create's _assert_port runs int() again, so "h:" fails on int("").
  if (g.port !== undefined) {
    port = pythonInt(g.port);
    if (port === null) {
      return {
        ok: false,
        kind: "port",
        error:
          "ValueError: invalid literal for int() with base 10 (the text after the host's ':' is not a port number)",
        spans,
      };
    }
  }
  return {
    ok: true,
    url: {
      drivername: g.name ?? "",
      username: g.username === undefined ? null : pythonUnquote(g.username),
      password: g.password === undefined ? null : pythonUnquote(g.password),
      // `ipv4host or ipv6host`: an empty match is None.
      host: g.ipv4host || g.ipv6host || null,
      port,
      database: g.database ?? null,
      query,
      spans,
      rawPort: g.port ?? null,
    },
  };
}

/** The dialects and drivers SQLAlchemy 2.x ships for PostgreSQL, and whether each is an asyncio driver. */
export const POSTGRESQL_DRIVERS: Readonly<Record<string, { async: boolean }>> = {
  psycopg2: { async: false },
  psycopg: { async: false },
  psycopg_async: { async: true },
  asyncpg: { async: true },
  pg8000: { async: false },
  psycopg2cffi: { async: false },
};

export interface DialectInfo {
  dialect: string;
  /** The driver named in the URL, or null for the dialect's default. */
  driver: string | null;
  /** get_dialect() would fail with this message (NoSuchModuleError), or null. */
  loadError: string | null;
}

/** URL.get_dialect(): `name+driver` loads `sqlalchemy.dialects:name.driver`. */
export function dialectOf(drivername: string): DialectInfo {
  const plus = drivername.indexOf("+");
  const dialect = plus < 0 ? drivername : drivername.slice(0, plus);
  const driver = plus < 0 ? null : drivername.slice(plus + 1);
  const known = ["postgresql", "sqlite", "mysql", "mariadb", "oracle", "mssql"];
  let loadError: string | null = null;
  if (!known.includes(dialect)) loadError = `Can't load plugin: sqlalchemy.dialects:${drivername.replace("+", ".")}`;
  else if (dialect === "postgresql" && driver !== null && !(driver in POSTGRESQL_DRIVERS))
    loadError = `Can't load plugin: sqlalchemy.dialects:postgresql.${driver}`;
  return { dialect, driver, loadError };
}

export type PsycopgArgs =
  | { ok: true; kwargs: [string, string | string[]][]; connectArgs: [string, string][] }
  | { ok: false; error: string };

/** PGDialect._split_multihost_from_url. */
function splitMultihost(
  query: SqlAlchemyUrl["query"],
): { ok: true; hosts: string[] | null; ports: (number | null)[] | null } | { ok: false; error: string } {
  let hosts: string[] | null = null;
  let portsStr: (string | null)[] | null = null;
  let integrated = false;
  const qh = query.host;
  if (qh !== undefined) {
    if (Array.isArray(qh)) {
      integrated = true;
      const rows = qh.map((t) => (t.includes(":") ? t.split(":") : [t, null]));
      const width = Math.min(...rows.map((r) => r.length));
      // zip(*rows) unpacked into (hosts, ports_str)
      if (width > 2) return { ok: false, error: "ValueError: too many values to unpack (expected 2)" };
      hosts = rows.map((r) => r[0] as string);
      portsStr = rows.map((r) => r[1] ?? null);
    } else {
      hosts = qh.split(",");
      if (query.port === undefined && hosts.length === 1 && hosts[0]!.includes(":")) {
        const hp = /^([a-zA-Z0-9\-.]*)(?::(\d*))?$/.exec(hosts[0]!);
        if (hp) {
          integrated = true;
          hosts = [hp[1] ?? ""];
          portsStr = [hp[2] ? hp[2] : null];
        }
      }
    }
  }
  const qp = query.port;
  if (qp !== undefined) {
    if (integrated) {
      return {
        ok: false,
        error:
          'ArgumentError: Can\'t mix \'multihost\' formats together; use "host=h1,h2,h3&port=p1,p2,p3" or "host=h1:p1&host=h2:p2&host=h3:p3" separately',
      };
    }
    portsStr = Array.isArray(qp) ? qp : qp.split(",");
  }
  let ports: (number | null)[] | null = null;
  if (portsStr && portsStr.length > 0) {
    const parsed = portsStr.map((x) => (x ? pythonInt(x) : null));
    if (parsed.some((p, i) => p === null && portsStr![i])) {
      return { ok: false, error: "ArgumentError: Received non-integer port arguments" };
    }
    ports = parsed;
  }
  if (
    ports &&
    ((!hosts && ports.length > 1) ||
      (hosts && hosts.length > 0 && hosts.length !== ports.length && (hosts.length > 1 || ports.length > 1)))
  ) {
    return { ok: false, error: "ArgumentError: number of hosts and ports don't match" };
  }
  if (hosts !== null && ports === null) ports = hosts.map(() => null);
  return { ok: true, hosts, ports };
}

/**
 * create_connect_args for the psycopg dialects, then create_engine's `cparams.update(connect_args)`.
 * `kwargs` are the keyword arguments psycopg.connect() receives, in order.
 */
export function psycopgConnectArgs(url: SqlAlchemyUrl, connectArgs: Record<string, string>): PsycopgArgs {
  const split = splitMultihost(url.query);
  if (!split.ok) return split;
  const opts = new Map<string, string | string[]>();
  // translate_connect_args(username="user", database="dbname"): falsy attributes are left out.
  if (url.host) opts.set("host", url.host);
  if (url.database) opts.set("dbname", url.database);
  if (url.username) opts.set("user", url.username);
  if (url.password) opts.set("password", url.password);
  if (url.port) opts.set("port", String(url.port));
  for (const [k, v] of Object.entries(url.query)) opts.set(k, v);
  if (split.hosts && split.hosts.length > 0) {
    opts.set("host", split.hosts.join(","));
    const commaPorts = (split.ports ?? []).map((p) => (p ? String(p) : "")).join(",");
    if (commaPorts) opts.set("port", commaPorts);
  }
  const connect = Object.entries(connectArgs);
  for (const [k, v] of connect) opts.set(k, v);
  return { ok: true, kwargs: [...opts.entries()], connectArgs: connect };
}

/** Python repr() of a str, as str(tuple) prints it. */
function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s
    .replace(/\\/g, "\\\\")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")
    .replace(q === "'" ? /'/g : /"/g, `\\${q}`);
  return `${q}${body}${q}`;
}

/** str(value) for what SQLAlchemy puts in the kwargs: a str, or a tuple for a repeated query key. */
export function pythonStr(v: string | string[]): string {
  if (!Array.isArray(v)) return v;
  return v.length === 1 ? `(${pyRepr(v[0]!)},)` : `(${v.map(pyRepr).join(", ")})`;
}

const PY_SPACE = new RegExp(`[${PY_WS}]`, "u");

/** psycopg.conninfo._param_escape. */
export function paramEscape(s: string): string {
  if (!s) return "''";
  const e = s.replace(/([\\'])/g, "\\$1");
  return PY_SPACE.test(e) ? `'${e}'` : e;
}

/** psycopg.conninfo.make_conninfo("", **kwargs). */
export function makeConninfo(kwargs: readonly [string, string | string[]][]): string {
  return kwargs.map(([k, v]) => `${k}=${paramEscape(pythonStr(v))}`).join(" ");
}
