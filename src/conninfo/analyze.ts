// The conninfo stage: read the resolved string as SkillFlaw's SQLAlchemy + psycopg stack or as libpq would, add the
// service file, environment and defaults, run libpq's option checks, and return the facts: the report's, and the
// ones the input, conninfo, url and env rules judge (src/rules/<family>/). It judges nothing itself.
// Everything that leaves this module is masked; raw values travel only in `values` and `secrets`.

import { createHash } from "node:crypto";
import type { LibpqMajor, UrlStyle } from "../model/options.js";
import type { RunSecrets } from "../model/redaction.js";
import { type ResolveFacts, resolveFacts } from "../resolve/facts.js";
import type { ResolvedInput } from "../resolve/index.js";
import { computeEffective, type EffectiveResult } from "./effective.js";
import type { PassfileStat } from "./effective-passfile.js";
import {
  parseLibpqConninfo,
  redactConninfoString,
  redactQuotedValues,
  reportableMessage,
  validateOptions,
} from "./libpq.js";
import { conninfoRuleFacts, cutFromSecret, envFacts, urlFacts } from "./rule-facts.js";
import {
  type DialectInfo,
  dialectOf,
  makeConninfo,
  parseSqlAlchemyUrl,
  psycopgConnectArgs,
  type SqlAlchemyParse,
} from "./sqlalchemy.js";
import {
  type ConninfoError,
  type ConninfoFacts,
  type ConninfoFormat,
  type ConninfoRuleFacts,
  type EffectiveParam,
  type EnvFacts,
  type HostEntry,
  MASK,
  type PasswordFacts,
  SECRET_KEYWORDS,
  type SqlAlchemyFacts,
  type UrlFacts,
} from "./types.js";
import { analyzeUserinfo, maskFragments, suspectedPasswordAsPort, type UserinfoFacts } from "./url-userinfo.js";

export interface AnalyzeContext {
  urlStyle: UrlStyle;
  libpq: LibpqMajor;
  env: NodeJS.ProcessEnv;
  home: string | null;
  cwd: string;
  /** Whether a file exists (the root CA file, libpq's default files); relative paths as libpq would resolve them. */
  fileExists: (p: string) => boolean;
  readFile: (p: string) => string | null;
  /** getpwuid(geteuid()) name; libpq's default user. Omitted: no user default is shown. */
  osUser?: string | null;
  /** stat() for the password file permission rule; omitted: an existing file counts as mode 0600. */
  statFile?: (p: string) => PassfileStat | null;
  sysconfdir?: string;
}

/** The parts of the rules' Facts bag this stage measures (src/rules/facts.ts); masked, like the report's facts. */
export interface ConninfoStageFacts {
  input: ResolveFacts;
  conninfo: ConninfoRuleFacts;
  url: UrlFacts;
  env: EnvFacts;
}

export interface ConninfoAnalysis {
  /** Redacted: goes into the report. */
  facts: ConninfoFacts;
  /** What the rules judge. */
  ruleFacts: ConninfoStageFacts;
  /** Raw effective values incl. secrets, for live sessions (never printed). */
  values: Record<string, string>;
  /** Every secret seen, for registerSecret (standard error's safety net). */
  secrets: string[];
  /** This run's secrets, misread pieces and shown values: what texts from outside are scrubbed for. */
  runSecrets: RunSecrets;
  /** The input with secrets masked, for InputFacts.redacted. */
  redacted: string;
  /** How the string was read. */
  urlStyle: "sqlalchemy" | "libpq";
}

/** A Unix socket, localhost or a loopback address: a guessable password there is a development set-up. */
export function isLocalHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  return (
    h === "" ||
    h.startsWith("/") ||
    h.startsWith("@") ||
    h === "localhost" ||
    h.endsWith(".localhost") ||
    /^127\.\d+\.\d+\.\d+$/.test(h) ||
    h === "::1" ||
    h === "[::1]"
  );
}

/** The variable whose value SkillFlaw hands to SQLAlchemy. */
export const SKILLFLAW_URL_VARIABLE = "SKILLFLAW_DATABASE_URL";
/** SkillFlaw's connect_args for PostgreSQL (service.py _get_connect_args). */
export const SKILLFLAW_CONNECT_ARGS: Readonly<Record<string, string>> = { options: "-c timezone=utc" };
export const DRIVER_SETTINGS_VARIABLE = "SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS";
/** SkillFlaw's own web server's TLS files (settings.py): never handed to the database driver. */
export const SKILLFLAW_WEB_TLS_VARIABLES = ["SKILLFLAW_SSL_CERT_FILE", "SKILLFLAW_SSL_KEY_FILE"] as const;

/** DESIGN.md "URL style": which reader applies to this input. */
export function chooseUrlStyle(input: ResolvedInput, style: UrlStyle): "sqlalchemy" | "libpq" {
  if (style !== "auto") return style;
  const value = input.value ?? "";
  if (/^[\p{L}\p{N}_]+\+[\p{L}\p{N}_+]*:\/\//u.test(value)) return "sqlalchemy";
  const src = input.source;
  if ((src.kind === "env" || src.kind === "env-file") && src.variable.toUpperCase() === SKILLFLAW_URL_VARIABLE)
    return "sqlalchemy";
  return "libpq";
}

/** The input with every secret masked, whichever reader applies. */
export function redactInput(value: string): string {
  const scheme = /^([\p{L}\p{N}_]+(?:\+[\p{L}\p{N}_+]*)?):\/\//u.exec(value);
  if (scheme !== null && !/^postgres(ql)?:\/\//.test(value)) {
    // Borrow libpq's URI redaction for SQLAlchemy schemes: same user-info and query shapes.
    const swapped = redactConninfoString(`postgresql://${value.slice(scheme[0].length)}`);
    return `${scheme[0]}${swapped.slice("postgresql://".length)}`;
  }
  return redactConninfoString(value);
}

function pyStr(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return String(v);
  return JSON.stringify(v);
}

/** SkillFlaw's connect_args: its default, or SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS which replaces it. */
function applicationArgs(env: Record<string, string | undefined>): {
  args: Record<string, string>;
  detail: string;
  driverSettings?: { ok: boolean };
} {
  const raw = env[DRIVER_SETTINGS_VARIABLE];
  if (raw === undefined)
    return { args: { ...SKILLFLAW_CONNECT_ARGS }, detail: "SkillFlaw's connect_args for PostgreSQL" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { args: {}, detail: DRIVER_SETTINGS_VARIABLE, driverSettings: { ok: false } };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    return { args: {}, detail: DRIVER_SETTINGS_VARIABLE, driverSettings: { ok: false } };
  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    const s = pyStr(v);
    if (s !== null) args[k] = s;
  }
  return { args, detail: `from ${DRIVER_SETTINGS_VARIABLE}`, driverSettings: { ok: true } };
}

function maskParams(params: Record<string, string>, fragments: readonly [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) out[k] = SECRET_KEYWORDS.has(k) ? MASK : maskFragments(v, fragments);
  return out;
}

function maskEffective(
  e: Record<string, EffectiveParam>,
  fragments: readonly [string, string][],
): Record<string, EffectiveParam> {
  const out: Record<string, EffectiveParam> = {};
  for (const [k, p] of Object.entries(e)) {
    const masked: EffectiveParam = {
      ...p,
      value: SECRET_KEYWORDS.has(k) ? MASK : maskFragments(p.value, fragments),
    };
    if (p.detail !== undefined) masked.detail = maskFragments(p.detail, fragments);
    out[k] = masked;
  }
  return out;
}

interface SqlAlchemyStage {
  parse: SqlAlchemyParse;
  dialect?: DialectInfo;
  argsError?: string;
  urlOptionsReplaced: boolean;
  kvUrl?: string;
  kvFull?: string;
  application: Record<string, string>;
  applicationDetail: string;
  driverSettings?: { ok: boolean };
}

function readSqlAlchemy(value: string, env: Record<string, string | undefined>): SqlAlchemyStage {
  const parse = parseSqlAlchemyUrl(value);
  const stage: SqlAlchemyStage = { parse, urlOptionsReplaced: false, application: {}, applicationDetail: "" };
  if (!parse.ok) return stage;
  stage.dialect = dialectOf(parse.url.drivername);
  // _get_connect_args applies to URLs starting with "postgresql" or "postgres".
  if (parse.url.drivername.startsWith("postgres")) {
    const app = applicationArgs(env);
    stage.application = app.args;
    stage.applicationDetail = app.detail;
    if (app.driverSettings) stage.driverSettings = app.driverSettings;
  }
  const urlOnly = psycopgConnectArgs(parse.url, {});
  const full = psycopgConnectArgs(parse.url, stage.application);
  if (!urlOnly.ok) {
    stage.argsError = urlOnly.error;
    return stage;
  }
  if (!full.ok) {
    stage.argsError = full.error;
    return stage;
  }
  stage.kvUrl = makeConninfo(urlOnly.kwargs);
  stage.kvFull = makeConninfo(full.kwargs);
  stage.urlOptionsReplaced = "options" in parse.url.query && "options" in stage.application;
  return stage;
}

function sqlalchemyFacts(
  stage: SqlAlchemyStage,
  fragments: readonly [string, string][],
  secrets: readonly string[],
): SqlAlchemyFacts | undefined {
  if (!stage.parse.ok) return undefined;
  const u = stage.parse.url;
  const m = (s: string | null) => (s === null ? null : maskFragments(s, fragments));
  // A password with '?' or '&' can spill into the query: a key or value cut from a secret is masked whole.
  const fromSecret = (s: string) => cutFromSecret(s, secrets);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(u.query)) {
    const secret = SECRET_KEYWORDS.has(k);
    const one = (x: string) => (secret || fromSecret(x) ? MASK : (m(x) ?? ""));
    query[fromSecret(k) ? MASK : (m(k) ?? k)] = Array.isArray(v) ? v.map(one) : one(v);
  }
  return {
    drivername: u.drivername,
    dialect: stage.dialect?.dialect ?? u.drivername,
    driver: stage.dialect?.driver ?? null,
    username: m(u.username),
    passwordSet: u.password !== null && u.password !== "",
    host: m(u.host),
    port: u.port,
    database: m(u.database),
    query,
  };
}

export function analyzeConninfo(input: ResolvedInput, ctx: AnalyzeContext): ConninfoAnalysis {
  const value = input.value ?? "";
  const major = ctx.libpq;
  const style = chooseUrlStyle(input, ctx.urlStyle);
  // The environment libpq sees inside SkillFlaw: the process environment with the env files loaded over it.
  const libpqEnv: Record<string, string | undefined> = { ...ctx.env };
  for (const [k, e] of Object.entries(input.fileVars)) libpqEnv[k] = e.value;
  const origin = (v: string) => {
    const e = input.fileVars[v];
    return e ? { file: e.file, line: e.line } : undefined;
  };
  const envOrigin = (v: string) => {
    const o = origin(v);
    return o ? `${o.file}:${o.line}` : undefined;
  };

  const secrets = new Set<string>();
  let format: ConninfoFormat;
  let params: Record<string, string> = {};
  let parsed = false;
  const errors: ConninfoError[] = [];
  let sa: SqlAlchemyStage | undefined;

  if (style === "sqlalchemy") {
    format = "sqlalchemy-url";
    sa = readSqlAlchemy(value, libpqEnv);
    if (sa.parse.ok) {
      if (sa.parse.url.password) secrets.add(sa.parse.url.password);
      for (const [k, v] of Object.entries(sa.parse.url.query))
        if (SECRET_KEYWORDS.has(k)) for (const x of [v].flat()) secrets.add(x);
    }
    if (sa.kvUrl !== undefined && sa.kvFull !== undefined) {
      const urlRead = parseLibpqConninfo(sa.kvUrl, major);
      const fullRead = parseLibpqConninfo(sa.kvFull, major);
      if (urlRead.ok) params = urlRead.params;
      if (!fullRead.ok) errors.push(fullRead.error);
      else if (!urlRead.ok) errors.push(urlRead.error);
      parsed = urlRead.ok && fullRead.ok;
    }
  } else {
    const r = parseLibpqConninfo(value, major);
    format = r.format;
    if (r.ok) params = r.params;
    else errors.push(r.error);
    parsed = r.ok;
  }
  for (const [k, v] of Object.entries(params)) if (SECRET_KEYWORDS.has(k) && v) secrets.add(v);

  const userinfo: UserinfoFacts | null = analyzeUserinfo(
    value,
    major,
    { libpq: style === "libpq", sqlalchemy: style === "sqlalchemy" },
    MASK,
  );
  if (userinfo?.passwordSpan) {
    const [s, e] = userinfo.passwordSpan;
    secrets.add(value.slice(s, e));
  }
  for (const reading of [userinfo?.libpq?.read, userinfo?.sqlalchemy?.read])
    if (reading?.password) secrets.add(reading.password);
  const fragments: [string, string][] = [...(userinfo?.leaked ?? [])];
  // A value python-dotenv cut short may end in the head of a password that now reads as host, port or database:
  // everything after the scheme is treated as secret.
  const entry = input.source.kind === "env-file" ? input.fileVars[input.source.variable] : undefined;
  const truncated = entry?.commentCut === true;
  if (truncated) {
    const rest = value.replace(/^[^:]*:\/\/?/, "");
    if (rest !== "") secrets.add(rest);
    for (const v of Object.values(params)) if (v !== "") fragments.push([v, MASK]);
    if (sa?.parse.ok) {
      const u = sa.parse.url;
      for (const v of [
        u.host,
        u.username,
        u.database,
        u.rawPort,
        ...Object.keys(u.query),
        ...Object.values(u.query).flat(),
      ])
        if (v) fragments.push([v, MASK]);
    }
  }
  const portSecret = suspectedPasswordAsPort(value);
  if (portSecret !== null) {
    const text = value.slice(portSecret[0], portSecret[1]);
    secrets.add(text);
    fragments.push([text, MASK]);
    for (const piece of text.split(",")) if (piece !== "") fragments.push([piece, MASK]);
  }
  // What a parser misread is shown masked with the same list.
  if (userinfo) userinfo.leaked = fragments;

  let eff: EffectiveResult | undefined;
  if (parsed) {
    const application = sa?.kvFull !== undefined ? sa.application : undefined;
    eff = computeEffective({
      params,
      ...(application ? { application, applicationDetail: sa?.applicationDetail ?? "" } : {}),
      major,
      env: libpqEnv,
      envOrigin,
      home: ctx.home,
      osUser: ctx.osUser ?? null,
      fileExists: ctx.fileExists,
      readFile: ctx.readFile,
      ...(ctx.statFile ? { statFile: ctx.statFile } : {}),
      ...(ctx.sysconfdir !== undefined ? { sysconfdir: ctx.sysconfdir } : {}),
    });
    errors.push(...eff.errors);
    const rawValues: Record<string, string> = {};
    for (const [k, p] of Object.entries(eff.effective)) rawValues[k] = p.value;
    if (eff.errors.length === 0) errors.push(...validateOptions(rawValues, major));
    for (const [k, p] of Object.entries(eff.effective)) if (SECRET_KEYWORDS.has(k) && p.value) secrets.add(p.value);
    if (eff.passfilePassword) secrets.add(eff.passfilePassword);
  }
  if (libpqEnv.PGPASSWORD) secrets.add(libpqEnv.PGPASSWORD);

  const values: Record<string, string> = {};
  if (eff) for (const [k, p] of Object.entries(eff.effective)) values[k] = p.value;
  if (eff?.passfilePassword !== undefined && values.password === undefined) values.password = eff.passfilePassword;

  const maskedParams = maskParams(params, fragments);
  const maskedEffective = eff ? maskEffective(eff.effective, fragments) : {};
  const hosts: HostEntry[] = (eff?.hosts ?? []).map((h) => {
    const out: HostEntry = { ...h, host: maskFragments(h.host, fragments), port: maskFragments(h.port, fragments) };
    if (h.hostaddr !== undefined) out.hostaddr = maskFragments(h.hostaddr, fragments);
    return out;
  });
  const secretList = [...secrets].filter((s) => s !== "");
  // libpq's own messages may quote a secret: only the redacted text reaches the report and the rules.
  const reportErrors: ConninfoError[] = errors.map((e) => {
    const out: ConninfoError = {
      stage: e.stage,
      // Leaked pieces first: a quote inside a piece would otherwise split the quoted value redactQuotedValues sees.
      message: redactQuotedValues(
        maskFragments(reportableMessage(e), fragments),
        style === "libpq" ? value : sa?.kvFull,
        secretList,
      ),
    };
    if (e.keyword !== undefined)
      out.keyword = cutFromSecret(e.keyword, secretList) ? MASK : maskFragments(e.keyword, fragments);
    return out;
  });
  const sqlalchemyOk =
    sa === undefined || (sa.parse.ok && sa.argsError === undefined && (sa.dialect?.loadError ?? null) === null);
  const facts: ConninfoFacts = {
    valid: parsed && errors.length === 0 && sqlalchemyOk,
    libpqValid: parsed && errors.length === 0,
    format,
    params: maskedParams,
    effective: maskedEffective,
    errors: reportErrors,
    hosts,
    password: eff?.password ?? { source: params.password ? "connstring" : "none" },
  };
  const saFacts = sa ? sqlalchemyFacts(sa, fragments, secretList) : undefined;
  if (saFacts) facts.sqlalchemy = { ...saFacts, valid: sqlalchemyOk };

  const redacted = maskFragments(
    truncated
      ? `${/^[^:]*:\/\/?/.exec(value)?.[0] ?? ""}${MASK}`
      : redactInput(
          portSecret === null ? value : `${value.slice(0, portSecret[0])}${MASK}${value.slice(portSecret[1])}`,
        ),
    // Only pieces a parser misread: the secrets themselves sit in spans the redaction above found by structure, and
    // masking their text everywhere would also mask a user, database or scheme that happens to spell the same.
    fragments,
  );
  const password = values.password;
  const passwordFacts: PasswordFacts | undefined =
    password !== undefined && password !== ""
      ? {
          source: facts.password.source,
          equalsUser: values.user !== undefined && password === values.user,
          equalsDatabase: values.dbname !== undefined && password === values.dbname,
          sha256Lower: createHash("sha256").update(password.toLowerCase()).digest("hex"),
        }
      : undefined;
  const ruleFacts: ConninfoStageFacts = {
    input: resolveFacts(input),
    conninfo: conninfoRuleFacts(facts, {
      major,
      raw: value,
      redacted,
      rawEffective: eff?.effective ?? {},
      fileExists: ctx.fileExists,
      env: libpqEnv,
      origin,
      fragments,
    }),
    url: urlFacts({
      raw: value,
      style,
      passwordInString: Boolean(params.password) || Boolean(sa?.parse.ok && sa.parse.url.password),
      userinfo,
      ...(sa ? { sqlalchemy: sa } : {}),
      fragments,
      ...(passwordFacts ? { password: passwordFacts } : {}),
      localHostsOnly: (eff?.hosts ?? []).every((h) => isLocalHost(h.hostaddr ?? h.host)),
    }),
    env: envFacts({
      raw: value,
      env: libpqEnv,
      origin,
      webServerTlsVariables: SKILLFLAW_WEB_TLS_VARIABLES,
      ...(eff?.passfile ? { passfile: eff.passfile } : {}),
      ...(sa?.driverSettings ? { driverSettings: { variable: DRIVER_SETTINGS_VARIABLE, ...sa.driverSettings } } : {}),
      fragments,
    }),
  };

  // Shown as themselves in the report (unless a misparse tainted them): never masked inside a text from outside.
  const shown = new Set<string>();
  for (const [k, p] of Object.entries(maskedEffective))
    if (!SECRET_KEYWORDS.has(k) && !p.value.includes(MASK)) shown.add(p.value);
  for (const h of hosts)
    for (const v of [h.host, h.port, h.hostaddr]) if (v !== undefined && !v.includes(MASK)) shown.add(v);
  return {
    facts,
    ruleFacts,
    values,
    secrets: secretList,
    runSecrets: {
      secrets: secretList,
      tainted: fragments.map(([from]) => from).filter((f) => f !== ""),
      shown: [...shown].filter((v) => v !== ""),
    },
    redacted,
    urlStyle: style,
  };
}
