import rule from "../../../../src/rules/url/sqlalchemy-parse.js";
import { fromEnvFile, stageFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

const skillflaw = (url: string) => stageFacts(fromEnvFile(url));

describeRule(rule, [
  {
    name: "a host list with ports before the path",
    facts: skillflaw("postgresql://u@h1:5432,h2:5433/db"),
    expect: [{ code: "url.multihost-netloc", subject: "host", hint: "?host=h1:5432&host=h2:5433" }],
  },
  {
    name: "a port SQLAlchemy's int() rejects",
    facts: skillflaw("postgresql://u@db:54x2/app"),
    expect: [{ code: "url.sqlalchemy-unparseable", subject: "url", message: "int() raises ValueError" }],
  },
  {
    name: "a string that is not dialect://",
    facts: skillflaw("host=db dbname=app"),
    expect: [{ code: "url.sqlalchemy-unparseable", message: "does not match SQLAlchemy's URL pattern" }],
  },
  {
    name: "a dialect SQLAlchemy cannot load",
    facts: skillflaw("cockroach://u@db/app"),
    expect: [{ code: "url.sqlalchemy-unparseable", subject: "scheme", message: 'cannot load the dialect "cockroach"' }],
  },
  {
    name: "host/port query parameters in both formats",
    facts: skillflaw("postgresql://u@/db?host=h1:5432&host=h2:5433&port=5432"),
    expect: [{ code: "url.sqlalchemy-unparseable", subject: "host", message: "Can't mix 'multihost' formats" }],
  },
  { name: "silent for postgres:// (url/dialect's)", facts: skillflaw("postgres://u@db/app"), expect: [] },
  { name: "silent for a good URL", facts: skillflaw("postgresql+psycopg://u@db/app"), expect: [] },
  {
    name: "silent when the string is read as libpq does",
    facts: stageFacts(fromEnvFile("host=db", "PGURL")),
    expect: [],
  },
]);
