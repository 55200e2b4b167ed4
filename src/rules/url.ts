// Rules about the URL as SkillFlaw's SQLAlchemy layer and libpq's URI parser read it.
import type { DialectInfo, SqlAlchemyParse } from "../conninfo/sqlalchemy.js";
import { MASK } from "../conninfo/types.js";
import { maskFragments, misread, type UrlReading, type UserinfoFacts } from "../conninfo/url-userinfo.js";
import type { SourceLocation } from "../model/finding.js";
import type { LibpqMajor } from "../model/options.js";
import type { Finding } from "./registry.js";
import { finding } from "./registry.js";

export interface UrlRuleInput {
  /** The raw string (never copied into a message). */
  value: string;
  style: "sqlalchemy" | "libpq";
  major: LibpqMajor;
  userinfo: UserinfoFacts | null;
  location?: SourceLocation | undefined;
  passwordInString: boolean;
  sqlalchemy?: {
    parse: SqlAlchemyParse;
    dialect?: DialectInfo;
    argsError?: string;
    urlOptionsReplaced: boolean;
  };
}

const ENCODED: Record<string, string> = { "@": "%40", ":": "%3A", "/": "%2F", "?": "%3F", "#": "%23" };

function quoteList(chars: readonly string[]): string {
  return chars.map((c) => `'${c}'`).join(", ");
}

/** "host "********@db" instead of "db"" for each field a parser got wrong. */
function differences(read: UrlReading, intended: UrlReading, leaked: readonly [string, string][]): string {
  if (!read.ok) return "a string it cannot parse at all";
  const show = (v: string | null) => (v === null ? "nothing" : `"${maskFragments(v, leaked)}"`);
  const parts: string[] = [];
  for (const k of ["host", "port", "dbname", "user"] as const) {
    if (read[k] !== intended[k]) parts.push(`${k} ${show(read[k])} instead of ${show(intended[k])}`);
  }
  if (read.password !== intended.password) parts.push("a different (truncated) password");
  return parts.join(", ");
}

function passwordUnescaped(input: UrlRuleInput, out: Finding[]): void {
  const u = input.userinfo;
  if (u === null) return;
  const wrong = misread(u);
  if (!wrong.libpq && !wrong.sqlalchemy) return;
  const chars = [...new Set([...u.passwordChars, ...u.userChars])];
  const where =
    u.userChars.length && u.passwordChars.length
      ? "user name and password contain"
      : u.userChars.length
        ? "user name contains"
        : "password contains";
  const readings: string[] = [];
  if (wrong.sqlalchemy && u.sqlalchemy)
    readings.push(`SQLAlchemy reads ${differences(u.sqlalchemy.read, u.sqlalchemy.intended, u.leaked)}`);
  if (wrong.libpq && u.libpq) readings.push(`libpq reads ${differences(u.libpq.read, u.libpq.intended, u.leaked)}`);
  const encodings = chars.map((c) => `'${c}' as ${ENCODED[c]}`).join(", ");
  out.push(
    finding(
      "url.password-unescaped",
      "password",
      `The ${where} unescaped ${quoteList(chars)}: ${readings.join("; ")}.`,
      {
        hint: `Percent-encode ${encodings} (Python: urllib.parse.quote(password, safe='')) and write the URL as ${u.template} with the encoded password in place of ${MASK}.`,
        evidence: { characters: chars },
        ...(input.location ? { location: input.location } : {}),
      },
    ),
  );
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

function sqlalchemyRules(input: UrlRuleInput, out: Finding[]): void {
  const sa = input.sqlalchemy;
  if (sa === undefined) return;
  const loc = input.location ? { location: input.location } : {};
  if (!sa.parse.ok) {
    const netlocComma = netlocHasCommaAfterColon(input.value);
    if (sa.parse.kind === "port" && netlocComma) {
      out.push(
        finding(
          "url.multihost-netloc",
          "host",
          "The URL lists several host:port pairs in its host part; SQLAlchemy reads everything after the first host's ':' as one port and int() rejects it, so SkillFlaw stops with \"Invalid database_url provided\".",
          {
            hint: "Move the hosts into the query: ?host=h1:5432&host=h2:5433 (and no host in the part before the path).",
            ...loc,
          },
        ),
      );
      return;
    }
    const why =
      sa.parse.kind === "port"
        ? "the text after the host's ':' is not a number, so int() raises ValueError (a doubled port, or a password with '@' that moved the split)"
        : "it does not match SQLAlchemy's URL pattern (it must start with dialect[+driver]://)";
    out.push(
      finding(
        "url.sqlalchemy-unparseable",
        "url",
        `SQLAlchemy cannot read the URL: ${why}; SkillFlaw stops at start-up with "Invalid database_url provided".`,
        loc,
      ),
    );
    return;
  }
  const d = sa.dialect;
  if (d) {
    if (d.dialect === "postgres") {
      out.push(
        finding(
          "url.postgres-scheme",
          "scheme",
          `SQLAlchemy has no "postgres" dialect (${d.loadError ?? "NoSuchModuleError"}), so SkillFlaw stops at start-up with "Invalid database_url provided".`,
          {
            hint: `Write the scheme as postgresql${d.driver ? `+${d.driver}` : ""}:// instead of ${sa.parse.url.drivername}://.`,
            ...loc,
          },
        ),
      );
    } else if (d.dialect !== "postgresql") {
      const msg = d.loadError
        ? `SQLAlchemy cannot load the dialect "${sa.parse.url.drivername}" (${d.loadError}); SkillFlaw stops at start-up.`
        : `The URL is for the "${d.dialect}" dialect, not PostgreSQL; SkillFlaw will use that database and dbdoctor's PostgreSQL checks do not apply.`;
      out.push(
        d.loadError
          ? finding("url.sqlalchemy-unparseable", "scheme", msg, loc)
          : finding("url.not-postgresql", "scheme", msg, loc),
      );
    } else if (d.driver === "asyncpg") {
      out.push(
        finding(
          "url.driver-asyncpg",
          "driver",
          "SkillFlaw does not support postgresql+asyncpg: expect \"can't subtract offset-naive and offset-aware datetimes\" errors, and asyncpg.connect() rejects SkillFlaw's options= connect argument and libpq parameters such as sslmode.",
          { hint: "Use postgresql+psycopg:// (or plain postgresql://).", ...loc },
        ),
      );
    } else if (d.driver !== null && d.driver !== "psycopg" && d.driver !== "psycopg_async") {
      const msg = d.loadError
        ? `SQLAlchemy does not know the driver "${d.driver}" (${d.loadError}), so SkillFlaw stops at start-up with "Invalid database_url provided".`
        : `SkillFlaw creates an asyncio engine, and "${d.driver}" is not an asyncio driver: SQLAlchemy raises "The asyncio extension requires an async driver to be used. The loaded '${d.driver}' is not async."`;
      out.push(
        finding("url.driver-unsupported", "driver", msg, {
          hint: "Use postgresql+psycopg:// (or plain postgresql://).",
          ...loc,
        }),
      );
    }
  }
  if (sa.argsError !== undefined) {
    out.push(
      finding(
        "url.sqlalchemy-unparseable",
        "host",
        `SQLAlchemy's PostgreSQL dialect rejects the host/port query parameters (${sa.argsError}); create_engine fails and SkillFlaw does not start.`,
        {
          hint: 'Give several hosts either as "?host=h1:5432&host=h2:5433" or as "?host=h1,h2&port=5432,5433", not both.',
          ...loc,
        },
      ),
    );
  }
  if (sa.urlOptionsReplaced) {
    out.push(
      finding(
        "url.options-overridden",
        "options",
        "The URL's options= parameter never reaches the server: SkillFlaw's connect_args {'options': '-c timezone=utc'} replace it.",
        loc,
      ),
    );
  }
}

export function urlRules(input: UrlRuleInput): Finding[] {
  const out: Finding[] = [];
  passwordUnescaped(input, out);
  sqlalchemyRules(input, out);
  if (input.passwordInString) {
    out.push(
      finding(
        "url.password-present",
        "password",
        "The connection string contains the password; anyone who can read the URL (logs, process lists, copied .env files) has it.",
        input.location ? { location: input.location } : {},
      ),
    );
  }
  return out;
}
