import type { CodeSpec } from "../rule.js";

/** Findings about the SQLAlchemy URL layer and SkillFlaw URL conventions. */
export const URL_FINDINGS = {
  "url.password-unescaped": {
    severity: "error",
    title: "Unescaped reserved character in the user or password",
    description:
      "An '@', ':', '/', '?' or '#' left unescaped in the user name or password makes libpq and SQLAlchemy split the URL somewhere else: SQLAlchemy's password ends at the first '@', so the rest becomes part of the host; libpq's user-info ends at the first '@' or '/'.",
    hint: "Percent-encode the user name and password (Python: urllib.parse.quote(password, safe='')).",
  },
  "url.postgres-scheme": {
    severity: "error",
    title: "postgres:// scheme under SQLAlchemy",
    description:
      "SQLAlchemy 1.4 and later have no 'postgres' dialect: make_url('postgres://...').get_dialect() raises NoSuchModuleError, so SkillFlaw stops at start-up with \"Invalid database_url provided\".",
    hint: "Write the scheme as postgresql:// (or postgresql+psycopg://).",
  },
  "url.driver-asyncpg": {
    severity: "error",
    title: "asyncpg driver",
    description:
      "SkillFlaw does not support postgresql+asyncpg: its schema needs psycopg's timezone handling (asyncpg fails with \"can't subtract offset-naive and offset-aware datetimes\"), asyncpg.connect() has no 'options' argument for SkillFlaw's connect_args, and it rejects libpq parameters such as sslmode.",
    hint: "Use postgresql+psycopg:// (or plain postgresql://, which SkillFlaw turns into postgresql+psycopg).",
  },
  "url.driver-unsupported": {
    severity: "error",
    title: "Driver SkillFlaw cannot use",
    description:
      'SkillFlaw creates an asyncio engine; a synchronous driver (psycopg2, pg8000, psycopg2cffi) makes SQLAlchemy raise "The asyncio extension requires an async driver to be used", and a driver SQLAlchemy does not know fails to load.',
    hint: "Use postgresql+psycopg:// (or plain postgresql://).",
  },
  "url.multihost-netloc": {
    severity: "error",
    title: "Host list with ports in the URL's host part",
    description:
      "SQLAlchemy reads everything after the first host's ':' as the port and passes it to int(), so 'h1:5432,h2:5433' fails with ValueError and SkillFlaw does not start. SQLAlchemy takes several hosts only as query parameters.",
    hint: "Move the hosts into the query: ?host=h1:5432&host=h2:5433.",
  },
  "url.sqlalchemy-unparseable": {
    severity: "error",
    title: "SQLAlchemy cannot read the URL",
    description:
      'SkillFlaw\'s validator calls make_url(), get_dialect() and get_driver_name(); when one raises, start-up stops with "Invalid database_url provided" before the database is contacted.',
    hint: "Write the URL as postgresql://USER:PASSWORD@HOST:PORT/DBNAME?sslmode=verify-full with the user and password percent-encoded.",
  },
  "url.not-postgresql": {
    severity: "warning",
    title: "Not a PostgreSQL URL",
    description:
      "The URL names another SQLAlchemy dialect; SkillFlaw will use that database, and dbdoctor's PostgreSQL checks do not apply.",
    hint: "Set SKILLFLAW_DATABASE_URL to a postgresql:// URL if SkillFlaw should use PostgreSQL.",
  },
  "url.options-overridden": {
    severity: "info",
    title: "URL options replaced by SkillFlaw's connect_args",
    description:
      "SkillFlaw passes connect_args={'options': '-c timezone=utc'} to SQLAlchemy, and create_engine lets connect_args override the URL's query, so an 'options' parameter in the URL never reaches the server.",
    hint: "Set the server parameters another way (ALTER ROLE ... SET, or SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS, which replaces connect_args as a whole).",
  },
  "url.password-present": {
    severity: "info",
    title: "Password in the URL",
    description:
      "The connection string carries the password, so it travels wherever the URL is logged, copied or shown in a process list.",
    hint: "Leave the password out of the URL and let libpq read it from a password file (~/.pgpass, mode 0600) or PGPASSWORD from a secret store.",
  },
} satisfies Record<string, CodeSpec>;
