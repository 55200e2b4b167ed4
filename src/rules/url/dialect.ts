// The SQLAlchemy dialect and driver the URL names, against what SkillFlaw can use: SQLAlchemy 1.4+ has no
// "postgres" dialect, SkillFlaw's asyncio engine needs an async driver, and asyncpg breaks SkillFlaw's schema.
import { defineRule } from "../rule.js";
import { inputLocation } from "../where.js";

/** The drivers SkillFlaw's asyncio engine works with (postgresql:// becomes postgresql+psycopg). */
const SUPPORTED_DRIVERS: ReadonlySet<string> = new Set(["psycopg", "psycopg_async"]);

export default defineRule({
  id: "url/dialect",
  family: "url",
  codes: {
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
    "url.not-postgresql": {
      severity: "warning",
      title: "Not a PostgreSQL URL",
      description:
        "The URL names another SQLAlchemy dialect; SkillFlaw will use that database, and dbdoctor's PostgreSQL checks do not apply.",
      hint: "Set SKILLFLAW_DATABASE_URL to a postgresql:// URL if SkillFlaw should use PostgreSQL.",
    },
  },
  check({ url, input }, { report }) {
    const sa = url?.sqlalchemy;
    const d = sa?.dialect;
    if (!sa?.parse.ok || !d) return;
    const drivername = sa.parse.drivername;
    const loc = inputLocation(input?.source);
    if (d.dialect === "postgres") {
      report(
        "url.postgres-scheme",
        "scheme",
        `SQLAlchemy has no "postgres" dialect (${d.loadError ?? "NoSuchModuleError"}), so SkillFlaw stops at start-up with "Invalid database_url provided".`,
        {
          hint: `Write the scheme as postgresql${d.driver ? `+${d.driver}` : ""}:// instead of ${drivername}://.`,
          ...loc,
        },
      );
    } else if (d.dialect !== "postgresql") {
      // An unloadable dialect is url/sqlalchemy-parse's: SkillFlaw does not even start.
      if (d.loadError) return;
      report(
        "url.not-postgresql",
        "scheme",
        `The URL is for the "${d.dialect}" dialect, not PostgreSQL; SkillFlaw will use that database and dbdoctor's PostgreSQL checks do not apply.`,
        loc,
      );
    } else if (d.driver === "asyncpg") {
      report(
        "url.driver-asyncpg",
        "driver",
        "SkillFlaw does not support postgresql+asyncpg: expect \"can't subtract offset-naive and offset-aware datetimes\" errors, and asyncpg.connect() rejects SkillFlaw's options= connect argument and libpq parameters such as sslmode.",
        { hint: "Use postgresql+psycopg:// (or plain postgresql://).", ...loc },
      );
    } else if (d.driver !== null && !SUPPORTED_DRIVERS.has(d.driver)) {
      const msg = d.loadError
        ? `SQLAlchemy does not know the driver "${d.driver}" (${d.loadError}), so SkillFlaw stops at start-up with "Invalid database_url provided".`
        : `SkillFlaw creates an asyncio engine, and "${d.driver}" is not an asyncio driver: SQLAlchemy raises "The asyncio extension requires an async driver to be used. The loaded '${d.driver}' is not async."`;
      report("url.driver-unsupported", "driver", msg, {
        hint: "Use postgresql+psycopg:// (or plain postgresql://).",
        ...loc,
      });
    }
  },
});
