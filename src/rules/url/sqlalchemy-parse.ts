// SkillFlaw's validator calls make_url(), get_dialect() and the dialect's create_connect_args; when one raises,
// start-up stops with "Invalid database_url provided" before the database is contacted.
import { defineRule } from "../rule.js";
import { inputLocation } from "../where.js";

export default defineRule({
  id: "url/sqlalchemy-parse",
  family: "url",
  codes: {
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
  },
  check({ url, input }, { report }) {
    const sa = url?.sqlalchemy;
    if (!sa) return;
    const loc = inputLocation(input?.source);
    const p = sa.parse;
    if (!p.ok) {
      if (p.kind === "port" && p.hostListInNetloc) {
        report(
          "url.multihost-netloc",
          "host",
          "The URL lists several host:port pairs in its host part; SQLAlchemy reads everything after the first host's ':' as one port and int() rejects it, so SkillFlaw stops with \"Invalid database_url provided\".",
          {
            hint: "Move the hosts into the query: ?host=h1:5432&host=h2:5433 (and no host in the part before the path).",
            ...loc,
          },
        );
        return;
      }
      const why =
        p.kind === "port"
          ? "the text after the host's ':' is not a number, so int() raises ValueError (a doubled port, or a password with '@' that moved the split)"
          : "it does not match SQLAlchemy's URL pattern (it must start with dialect[+driver]://)";
      report(
        "url.sqlalchemy-unparseable",
        "url",
        `SQLAlchemy cannot read the URL: ${why}; SkillFlaw stops at start-up with "Invalid database_url provided".`,
        loc,
      );
      return;
    }
    const d = sa.dialect;
    // postgres:// and unknown postgresql drivers have their own codes (url/dialect).
    if (d?.loadError && d.dialect !== "postgres" && d.dialect !== "postgresql")
      report(
        "url.sqlalchemy-unparseable",
        "scheme",
        `SQLAlchemy cannot load the dialect "${p.drivername}" (${d.loadError}); SkillFlaw stops at start-up.`,
        loc,
      );
    if (sa.argsError !== undefined)
      report(
        "url.sqlalchemy-unparseable",
        "host",
        `SQLAlchemy's PostgreSQL dialect rejects the host/port query parameters (${sa.argsError}); create_engine fails and SkillFlaw does not start.`,
        {
          hint: 'Give several hosts either as "?host=h1:5432&host=h2:5433" or as "?host=h1,h2&port=5432,5433", not both.',
          ...loc,
        },
      );
  },
});
