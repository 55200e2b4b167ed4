import rule from "../../../../src/rules/url/dialect.js";
import { fromEnvFile, stageFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

const skillflaw = (url: string) => stageFacts(fromEnvFile(url));

describeRule(rule, [
  {
    name: "postgres:// has no SQLAlchemy dialect",
    facts: skillflaw("postgres://app@db/app?sslmode=verify-full"),
    expect: [
      { code: "url.postgres-scheme", message: 'no "postgres" dialect', hint: "postgresql:// instead of postgres://" },
    ],
  },
  {
    name: "postgres+psycopg:// keeps the driver in the hint",
    facts: skillflaw("postgres+psycopg://app@db/app"),
    expect: [{ code: "url.postgres-scheme", hint: "postgresql+psycopg:// instead of postgres+psycopg://" }],
  },
  {
    name: "asyncpg",
    facts: skillflaw("postgresql+asyncpg://app@db/app"),
    expect: [{ code: "url.driver-asyncpg", subject: "driver" }],
  },
  {
    name: "a synchronous driver",
    facts: skillflaw("postgresql+psycopg2://app@db/app"),
    expect: [{ code: "url.driver-unsupported", message: "The loaded 'psycopg2' is not async" }],
  },
  {
    name: "a driver SQLAlchemy does not know",
    facts: skillflaw("postgresql+nosuch://app@db/app"),
    expect: [{ code: "url.driver-unsupported", message: 'does not know the driver "nosuch"' }],
  },
  {
    name: "another database",
    facts: skillflaw("sqlite:///./skillflaw.db"),
    expect: [{ code: "url.not-postgresql", message: '"sqlite" dialect' }],
  },
  { name: "silent for psycopg", facts: skillflaw("postgresql+psycopg://app@db/app"), expect: [] },
  { name: "silent for plain postgresql://", facts: skillflaw("postgresql://app@db/app"), expect: [] },
  {
    name: "silent for an unloadable dialect (sqlalchemy-parse's)",
    facts: skillflaw("cockroach://u@db/app"),
    expect: [],
  },
]);
