// What the conninfo stage is given for one stored setting, built from how it is written: a connection string with
// its placeholders replaced by tokens (and the parts they fill taken out where a token would be read as a value: a
// password, a port, an sslmode, a file), a jdbc:postgresql: URL as the libpq parameters pgjdbc's would amount to, a
// setting written as separate keys as a keyword/value string, or libpq's PG* variables as its environment. Each
// placeholder's text is kept for the report, by parameter.
import { PG_ENV } from "./families.js";
import {
  displayPlaceholder,
  findPlaceholders,
  hasToken,
  type PlaceholderSyntax,
  placeholderToken,
  restoreTokens,
  tokenize,
} from "./placeholders.js";
import { readJdbcUrl, routeValue, toKeywordValue } from "./schemes.js";
import { PART_NAMES, type PartName, type RawSetting } from "./types.js";

/** Parameters a token must not stand in for: libpq would read the token as the value and judge it. */
const UNKNOWN_WHEN_PLACEHOLDER = new Set([
  "password",
  "sslpassword",
  "port",
  "sslmode",
  "requiressl",
  "sslrootcert",
  "sslcert",
  "sslkey",
  "sslcrl",
  "sslcrldir",
  "sslnegotiation",
  "sslsni",
  "ssl_min_protocol_version",
  "ssl_max_protocol_version",
  "passfile",
  "service",
  "hostaddr",
  "gssencmode",
  "channel_binding",
  "connect_timeout",
]);

export interface BuiltInput {
  /** The string handed to the conninfo stage (tokens where placeholders were). */
  value: string;
  /** Variables libpq sees (PG* and SkillFlaw's), placeholders left out. */
  env: Record<string, { value: string; line: number }>;
  /** Placeholder texts by token number, to put back in what the report shows. */
  texts: string[];
  /** Parameters written as placeholders (or coming from a secret reference): what stands there. */
  placeholders: Record<string, string>;
  /** How a non-libpq spelling was mapped, by parameter. */
  notes: Record<string, string>;
  /** Read as a SQLAlchemy URL (auto style): SkillFlaw's and Langflow's URL variables, postgresql+driver://. */
  reader: "libpq" | "sqlalchemy-auto";
}

export function syntaxOf(raw: RawSetting): PlaceholderSyntax {
  return { bareDollar: raw.syntax === "compose" || raw.syntax === "shell" };
}

/** docker compose writes a literal dollar as `$$`. */
function composeDollars(raw: RawSetting, s: string): string {
  return raw.syntax === "compose" ? s.replace(/\$\$/g, "$") : s;
}

function shown(param: string, text: string): string {
  return param === "password" || param === "sslpassword" ? displayPlaceholder(text) : text;
}

/** One query or keyword/value parameter holding a token: kept (host, user, dbname...) or taken out. */
function keepParam(
  name: string,
  value: string,
  texts: readonly string[],
  placeholders: Record<string, string>,
): boolean {
  if (!hasToken(value)) return true;
  placeholders[name] = shown(name, restoreTokens(value, texts));
  return !UNKNOWN_WHEN_PLACEHOLDER.has(name);
}

/** A tokenized URL with the parts a token cannot stand for taken out: user:TOKEN@ -> user@, host:TOKEN -> host. */
function neutralizeUrl(url: string, texts: readonly string[], placeholders: Record<string, string>): string {
  const scheme = /^[^:/?#]+:\/\//.exec(url);
  if (scheme === null) return url;
  const rest = url.slice(scheme[0].length);
  const end = rest.search(/[/?#]/);
  const netloc = end === -1 ? rest : rest.slice(0, end);
  let tail = end === -1 ? "" : rest.slice(end);
  const at = netloc.lastIndexOf("@");
  let userinfo = at === -1 ? null : netloc.slice(0, at);
  const hostlist = at === -1 ? netloc : netloc.slice(at + 1);
  if (userinfo !== null) {
    const colon = userinfo.indexOf(":");
    const user = colon === -1 ? userinfo : userinfo.slice(0, colon);
    const pass = colon === -1 ? null : userinfo.slice(colon + 1);
    if (hasToken(user)) placeholders.user = restoreTokens(user, texts);
    if (pass !== null && hasToken(pass)) {
      placeholders.password = shown("password", restoreTokens(pass, texts));
      userinfo = user;
    }
  }
  const hosts = hostlist.split(",").map((h) => {
    const m = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(h);
    if (m === null) return h;
    const host = m[1] ?? "";
    const port = m[2];
    if (hasToken(host)) placeholders.host = restoreTokens(host, texts);
    if (port !== undefined && hasToken(port)) {
      placeholders.port = restoreTokens(port, texts);
      return host;
    }
    return h;
  });
  const q = tail.indexOf("?");
  const path = q === -1 ? tail : tail.slice(0, q);
  if (hasToken(path)) placeholders.dbname = restoreTokens(path.replace(/^\//, ""), texts);
  if (q !== -1) {
    const kept = tail
      .slice(q + 1)
      .split("&")
      .filter((pair) => {
        const eq = pair.indexOf("=");
        return eq === -1 || keepParam(pair.slice(0, eq), pair.slice(eq + 1), texts, placeholders);
      });
    tail = kept.length > 0 ? `${path}?${kept.join("&")}` : path;
  }
  return `${scheme[0]}${userinfo !== null ? `${userinfo}@` : ""}${hosts.join(",")}${tail}`;
}

/** A tokenized keyword/value string with the parameters a token cannot stand for taken out. */
function neutralizeKeywordValue(s: string, texts: readonly string[], placeholders: Record<string, string>): string {
  const re = /([A-Za-z_]+)(\s*=\s*)('(?:\\.|[^'\\])*'|\S*)/g;
  return s.replace(re, (all, key: string, _eq: string, value: string) => {
    const bare = value.startsWith("'") ? value.slice(1, -1) : value;
    return keepParam(key, bare, texts, placeholders) ? all : "";
  });
}

/** PG* (and SkillFlaw's) variables for libpq's environment, those holding placeholders left out. */
function environment(
  raw: RawSetting,
  syntax: PlaceholderSyntax,
  placeholders: Record<string, string>,
): Record<string, { value: string; line: number }> {
  const env: Record<string, { value: string; line: number }> = {};
  for (const [k, v] of Object.entries(raw.siblings ?? {})) {
    if (!/^PG[A-Z_]+$/.test(k) && !k.startsWith("SKILLFLAW_")) continue;
    if (findPlaceholders(v.value, syntax).length > 0) {
      const param = PG_ENV[k];
      if (param !== undefined) placeholders[param] = shown(param, v.value);
      continue;
    }
    env[k] = { value: composeDollars(raw, v.value), line: v.line };
  }
  return env;
}

export function buildInput(raw: RawSetting, appUrlVariable: boolean): BuiltInput {
  const syntax = syntaxOf(raw);
  const placeholders: Record<string, string> = {};
  const notes: Record<string, string> = {};
  const env = environment(raw, syntax, placeholders);
  if (raw.form === "environment") return { value: "", env, texts: [], placeholders, notes, reader: "libpq" };

  if (raw.form === "parts") {
    const pairs: Array<[string, string]> = [];
    const texts: string[] = [];
    for (const name of PART_NAMES) {
      const p = raw.parts?.[name as PartName];
      if (p === undefined) continue;
      if (p.mapped) notes[name] = p.mapped;
      if (p.from !== undefined) {
        placeholders[name] = `(from ${p.from})`;
        // Where a host comes from is unknown, but it is a host: a token keeps the setting on TCP.
        if (name === "host") {
          pairs.push([name, placeholderToken(texts.length)]);
          texts.push(`(from ${p.from})`);
        }
        continue;
      }
      if (p.value.trim() === "") continue;
      const t = tokenize(p.value, syntax, texts.length);
      if (t.texts.length > 0) {
        texts.push(...t.texts);
        placeholders[name] = shown(name, p.value);
        if (UNKNOWN_WHEN_PLACEHOLDER.has(name)) continue;
        pairs.push([name, composeDollars(raw, t.value)]);
        continue;
      }
      pairs.push([name, composeDollars(raw, p.value)]);
    }
    return { value: toKeywordValue(pairs), env, texts, placeholders, notes, reader: "libpq" };
  }

  const { value: tokenized, texts } = tokenize(raw.value, syntax);
  const route = routeValue(tokenized);
  if (route === "jdbc") {
    const jdbc = readJdbcUrl(composeDollars(raw, tokenized));
    if (jdbc !== null) {
      Object.assign(notes, jdbc.notes);
      const kept = jdbc.params.filter(([k, v]) => keepParam(k, v, texts, placeholders));
      return { value: toKeywordValue(kept), env, texts, placeholders, notes, reader: "libpq" };
    }
  }
  const neutral =
    route === "keyword-value"
      ? neutralizeKeywordValue(tokenized, texts, placeholders)
      : neutralizeUrl(tokenized, texts, placeholders);
  return {
    value: composeDollars(raw, neutral),
    env,
    texts,
    placeholders,
    notes,
    reader: appUrlVariable ? "sqlalchemy-auto" : "libpq",
  };
}

/** Every string in the facts with its tokens replaced by the placeholders' texts (what the report shows). */
export function restoreDeep<T>(value: T, texts: readonly string[]): T {
  if (texts.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return restoreTokens(v, texts);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[restoreTokens(k, texts)] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
