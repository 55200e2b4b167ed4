import rule from "../../../../src/rules/url/password-guessable.js";
import { argument, fromEnvFile, stageFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

const audit = (value: string) => ({ ...stageFacts(argument(value)), command: "audit" as const });

describeRule(rule, [
  {
    name: "SkillFlaw's documentation example: a well-known default, at the .env line, never printed",
    facts: stageFacts(fromEnvFile("postgresql://user:password@localhost:5432/dbname")),
    expect: [
      {
        code: "url.password-guessable",
        subject: "password",
        severity: "warning",
        message: ["a well-known default password", "(a local server here)"],
      },
    ],
  },
  {
    name: "the password is the user name",
    facts: stageFacts(argument("postgresql://app:app@db.internal/prod")),
    expect: [{ code: "url.password-guessable", message: "the user name" }],
  },
  {
    name: "the password is the database name, in a keyword/value string",
    facts: stageFacts(argument("host=db.internal user=app dbname=orders password=orders")),
    expect: [{ code: "url.password-guessable", message: "the database name" }],
  },
  {
    name: "defaults compare case-insensitively",
    facts: stageFacts(argument("postgresql://app:ChangeMe@db.internal/prod")),
    expect: [{ code: "url.password-guessable", message: "default" }],
  },
  {
    name: "from PGPASSWORD too",
    facts: stageFacts(argument("postgresql://app@db.internal/prod"), { env: { PGPASSWORD: "postgres" } }),
    expect: ["url.password-guessable"],
  },
  {
    name: "an error in an audit of a setting for a remote server",
    facts: audit("postgresql://postgres:postgres@db.example.com/postgres"),
    expect: [{ code: "url.password-guessable", severity: "error" }],
  },
  {
    name: "a warning in an audit of a local development setting",
    facts: audit("postgresql://postgres:postgres@localhost/postgres"),
    expect: [{ code: "url.password-guessable", severity: "warning" }],
  },
  {
    name: "silent for a strong password",
    facts: stageFacts(argument("postgresql://app:x7Kq-2vLp@db/app")),
    expect: [],
  },
  { name: "silent without a password", facts: stageFacts(argument("postgresql://app@db/app")), expect: [] },
  {
    name: "a password that merely contains a default word is not flagged",
    facts: stageFacts(argument("postgresql://app:postgres-7Kq2vLp9@db/app")),
    expect: [],
  },
]);
