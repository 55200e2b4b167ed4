// The measurements the conninfo, url and env rules judge, taken from what the stage read (raw values stay here):
// libpq's errors with what the keyword table and the did-you-mean know about them, whether the root file exists,
// how each parser misread an unescaped user-info, how the value is written, and the environment around it.
// Everything returned is masked: values come from the masked facts or are masked here with the leaked fragments.

import type { LibpqMajor } from "../model/options.js";
import { enumValues, suggestKeyword, suggestValue } from "./did-you-mean.js";
import type { PassfileFacts } from "./effective.js";
import { ALL_KEYWORDS, keywordIntroducedIn, keywordRemovedIn, laterEnvVars } from "./keywords.js";
import type { DialectInfo, SqlAlchemyParse } from "./sqlalchemy.js";
import {
  type ConninfoErrorFacts,
  type ConninfoFacts,
  type ConninfoRuleFacts,
  type EffectiveParam,
  type EnvFacts,
  MASK,
  type PasswordFacts,
  type RootFileFacts,
  SECRET_KEYWORDS,
  type SqlAlchemyRuleFacts,
  type UnreadVariable,
  type UrlFacts,
  type UserinfoMisreading,
  type UserinfoRuleFacts,
  type ValueShape,
  type VariableOrigin,
} from "./types.js";
import { maskFragments, misread, type UrlReading, type UserinfoFacts } from "./url-userinfo.js";

/** Replacements for pieces of a secret that a parser put into another field (UserinfoFacts.leaked and more). */
type Fragments = readonly [string, string][];

/** A string that is not a libpq keyword but a piece of a secret (a password spilled into a key or value). */
export function cutFromSecret(s: string, secrets: readonly string[]): boolean {
  // Only a secret holding a delimiter (of a query, or a space in keyword/value) can spill into the query: a value that merely equals a password
  // (`?sslmode=verify-full` with the password "verify-full") is the user's own setting and stays readable.
  return s !== "" && !ALL_KEYWORDS.has(s) && secrets.some((x) => /[?&#=\s]/.test(x) && x.includes(s));
}

/**
 * The value written for `ssl` (URI ?ssl=1, keyword/value ssl=1), read from the string with its secrets already
 * masked (libpq's own redaction spans), so a password that happens to hold "ssl=" is never taken for it.
 */
function sslGiven(redacted: string, fragments: Fragments): string | undefined {
  const given = /(?:[?&]|^|\s)ssl\s*=\s*'?([^&\s']*)/.exec(redacted)?.[1];
  return given === undefined ? undefined : maskFragments(given, fragments);
}

const ENUM_ERROR = /^invalid "?[a-z_]+"? value: /;

function errorFacts(
  errors: readonly ConninfoFacts["errors"][number][],
  effective: Record<string, EffectiveParam>,
  major: LibpqMajor,
  redacted: string,
  fragments: Fragments,
): ConninfoErrorFacts[] {
  return errors.map((e) => {
    const out: ConninfoErrorFacts = { ...e };
    const kw = e.keyword;
    if (kw === undefined || kw === MASK) return out;
    if (e.stage === "parse") {
      out.unknownKeyword = {
        introducedIn: keywordIntroducedIn(kw),
        removedIn: keywordRemovedIn(kw),
        closest: suggestKeyword(kw, major) ?? null,
      };
      if (kw === "ssl") {
        const given = sslGiven(redacted, fragments);
        if (given !== undefined) out.unknownKeyword.given = given;
      }
      return out;
    }
    const accepted = enumValues(kw, major);
    if (accepted !== undefined && ENUM_ERROR.test(e.message)) {
      const value = effective[kw]?.value ?? "";
      out.enumValue = { value, accepted, closest: suggestValue(kw, value, major) ?? null };
    }
    return out;
  });
}

function rootFile(
  raw: EffectiveParam | undefined,
  masked: EffectiveParam | undefined,
  fileExists: (p: string) => boolean,
): RootFileFacts | null {
  if (raw === undefined || raw.value === "" || raw.value === "system") return null;
  return { path: masked?.value ?? raw.value, exists: fileExists(raw.value) };
}

export function conninfoRuleFacts(
  facts: ConninfoFacts,
  input: {
    major: LibpqMajor;
    raw: string;
    /** The string with its secrets masked, where a rule needs to read what was written. */
    redacted: string;
    /** Raw effective values: the root file's existence is measured on the real path. */
    rawEffective: Record<string, EffectiveParam>;
    fileExists: (p: string) => boolean;
    /** The environment libpq sees, and where a variable was set when it came from an --env-file. */
    env: Record<string, string | undefined>;
    origin: (variable: string) => { file: string; line: number } | undefined;
    fragments: Fragments;
  },
): ConninfoRuleFacts {
  const unreadEnv: UnreadVariable[] = laterEnvVars(input.major).flatMap(({ keyword, variable, since }) => {
    const v = input.env[variable];
    if (v === undefined) return [];
    const value = SECRET_KEYWORDS.has(keyword) ? MASK : maskFragments(v, input.fragments);
    return [{ variable, ...(input.origin(variable) ?? {}), keyword, since, value }];
  });
  // Object.assign, not a spread that then overrides `errors`: an audit builds 10,000 of these, and V8 makes the
  // spread-and-override literal several times slower.
  return Object.assign({}, facts, {
    major: input.major,
    errors: errorFacts(facts.errors, facts.effective, input.major, input.redacted, input.fragments),
    rootFile: rootFile(input.rawEffective.sslrootcert, facts.effective.sslrootcert, input.fileExists),
    schemeUrl: /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(input.raw.trim()),
    unreadEnv,
  });
}

function misreading(
  parser: UserinfoMisreading["parser"],
  pair: { read: UrlReading; intended: UrlReading },
  fragments: Fragments,
): UserinfoMisreading {
  const { read, intended } = pair;
  const m = (v: string | null) => (v === null ? null : maskFragments(v, fragments));
  const out: UserinfoMisreading = { parser, parsed: read.ok, fields: [], passwordDiffers: false };
  if (!read.ok) return out;
  for (const field of ["host", "port", "dbname", "user"] as const)
    if (read[field] !== intended[field]) out.fields.push({ field, read: m(read[field]), meant: m(intended[field]) });
  out.passwordDiffers = read.password !== intended.password;
  return out;
}

function userinfoRuleFacts(u: UserinfoFacts, fragments: Fragments): UserinfoRuleFacts {
  const wrong = misread(u);
  const misreadings: UserinfoMisreading[] = [];
  if (wrong.sqlalchemy && u.sqlalchemy) misreadings.push(misreading("sqlalchemy", u.sqlalchemy, fragments));
  if (wrong.libpq && u.libpq) misreadings.push(misreading("libpq", u.libpq, fragments));
  return { userChars: u.userChars, passwordChars: u.passwordChars, template: u.template, misreadings };
}

/** The SQLAlchemy reading the url rules need (without the parsed values: those are in ConninfoFacts.sqlalchemy). */
export interface SqlAlchemyReading {
  parse: SqlAlchemyParse;
  dialect?: DialectInfo;
  argsError?: string;
  urlOptionsReplaced: boolean;
}

/**
 * `/^[^:]*:\/\/[^/?]*:[^/?]*,/` (a host:port list in the URL's netloc) in linear time: that regex backtracks over
 * every ':' of the netloc and rescans to its end each time, quadratic on "h:1:2:3...".
 */
function netlocHasCommaAfterColon(value: string): boolean {
  const scheme = value.indexOf(":");
  if (scheme < 0 || !value.startsWith("//", scheme + 1)) return false;
  const start = scheme + 3;
  let end = start;
  while (end < value.length && value[end] !== "/" && value[end] !== "?") end++;
  const netloc = value.slice(start, end);
  const colon = netloc.indexOf(":");
  return colon >= 0 && netloc.lastIndexOf(",") > colon;
}

export function urlFacts(input: {
  raw: string;
  style: "sqlalchemy" | "libpq";
  passwordInString: boolean;
  userinfo: UserinfoFacts | null;
  sqlalchemy?: SqlAlchemyReading;
  fragments: Fragments;
  password?: PasswordFacts;
  localHostsOnly: boolean;
}): UrlFacts {
  const out: UrlFacts = {
    style: input.style,
    passwordInString: input.passwordInString,
    localHostsOnly: input.localHostsOnly,
  };
  if (input.password) out.password = input.password;
  if (input.userinfo) out.userinfo = userinfoRuleFacts(input.userinfo, input.fragments);
  const sa = input.sqlalchemy;
  if (sa) {
    const parse: SqlAlchemyRuleFacts["parse"] = sa.parse.ok
      ? { ok: true, drivername: sa.parse.url.drivername }
      : { ok: false, kind: sa.parse.kind, hostListInNetloc: netlocHasCommaAfterColon(input.raw) };
    out.sqlalchemy = { parse, urlOptionsReplaced: sa.urlOptionsReplaced };
    if (sa.dialect) out.sqlalchemy.dialect = { ...sa.dialect };
    if (sa.argsError !== undefined) out.sqlalchemy.argsError = sa.argsError;
  }
  return out;
}

const QUOTES = new Set(['"', "'", "`"]);

export function valueShape(value: string): ValueShape {
  const first = value.trimStart()[0];
  const last = value.trimEnd().at(-1);
  const quote = (c: string | undefined) => (c !== undefined && QUOTES.has(c) ? c : null);
  return {
    url: /:\/\//.test(value),
    leadingQuote: quote(first),
    trailingQuote: quote(last),
    whitespace: {
      leading: /^\s/.test(value),
      trailing: /\s$/.test(value),
      lineBreak: /[\r\n]/.test(value),
      inner: /\S\s+\S/.test(value.trim()),
    },
  };
}

export function envFacts(input: {
  raw: string;
  /** The environment libpq and SkillFlaw see (raw: read here, never copied except the named paths). */
  env: Record<string, string | undefined>;
  origin: (variable: string) => { file: string; line: number } | undefined;
  /** SkillFlaw's web-server TLS variables, whose values are paths. */
  webServerTlsVariables: readonly string[];
  passfile?: PassfileFacts;
  driverSettings?: { variable: string; ok: boolean };
  fragments: Fragments;
}): EnvFacts {
  const at = (variable: string): VariableOrigin => ({ variable, ...(input.origin(variable) ?? {}) });
  const out: EnvFacts = {
    shape: valueShape(input.raw),
    emptyVariables: Object.entries(input.env)
      .filter(([k, v]) => v === "" && /^PG[A-Z_]+$/.test(k))
      .map(([k]) => at(k)),
    webServerTls: input.webServerTlsVariables.flatMap((name) => {
      const v = input.env[name];
      return v === undefined || v === "" ? [] : [{ ...at(name), value: v }];
    }),
  };
  const pf = input.passfile;
  if (pf)
    out.passfile = {
      path: pf.path,
      perHost: pf.perHost.map(({ host, result }) => ({
        host: maskFragments(host, input.fragments),
        status: result.status,
        ...(result.status === "insecure" ? { mode: result.mode } : {}),
      })),
    };
  if (input.driverSettings)
    out.driverSettings = { ...at(input.driverSettings.variable), jsonObject: input.driverSettings.ok };
  return out;
}
