// What each managed service asks of the client, for the endpoint the stage recognised from the host name: one
// fixture per provider, the sslmode that falls short, SNI, and transaction-mode poolers.
import { describe, expect, it } from "vitest";
import rule from "../../../../src/rules/ops/cloud-provider.js";
import { describeRule, type RuleCase, runRule } from "../../../helpers/rules.js";
import { PROVIDER_FIXTURES, provider } from "./fixtures.js";

const perProvider: RuleCase[] = PROVIDER_FIXTURES.map(([host, id, endpoint, text]) => ({
  name: `${host} (${id}, ${endpoint}) under verify-full: the advice names ${text}, nothing to warn about`,
  facts: provider(host),
  expect: [{ code: "ops.cloud-provider", subject: `${host}:5432`, message: [`endpoint ${endpoint}`, text] }],
}));

const neon = "ep-cool-darkness-123456.us-east-2.aws.neon.tech";
const heroku = "ec2-54-12-34-56.compute-1.amazonaws.com";

describeRule(rule, [
  ...perProvider,
  {
    name: "require against RDS: the certificate could be verified, and is not",
    facts: provider(PROVIDER_FIXTURES[0]?.[0] ?? "", { mode: "require" }),
    expect: [
      "ops.cloud-provider",
      {
        code: "ops.cloud-sslmode",
        message: "sslmode=require encrypts but does not check",
        hint: "Use sslmode=verify-full with the provider's CA bundle as sslrootcert.",
      },
    ],
  },
  {
    name: "prefer against Azure warns about the plaintext fallback",
    facts: provider("myserver.postgres.database.azure.com", { mode: "prefer" }),
    expect: ["ops.cloud-provider", { code: "ops.cloud-sslmode", message: "plaintext" }],
  },
  {
    name: "Heroku: require is right (no CA to verify)",
    facts: provider(heroku, { mode: "require" }),
    expect: ["ops.cloud-provider"],
  },
  {
    name: "Heroku: prefer is not (it requires SSL)",
    facts: provider(heroku, { mode: "prefer" }),
    expect: ["ops.cloud-provider", { code: "ops.cloud-sslmode", hint: "Use sslmode=require." }],
  },
  {
    name: "Neon with libpq 13 (no SNI): refused with Neon's text, fixed by options=endpoint=<id>",
    facts: provider(neon, { major: 13 }),
    expect: [
      "ops.cloud-provider",
      {
        code: "ops.cloud-sslmode",
        message: ["libpq 13 sends no SNI", "The endpoint ID is not specified"],
        hint: "options=endpoint%3Dep-cool-darkness-123456",
      },
    ],
  },
  { name: "Neon with libpq 14 sends SNI", facts: provider(neon, { major: 14 }), expect: ["ops.cloud-provider"] },
  {
    name: "Neon with libpq 13 and options=endpoint=<id>: routed without SNI",
    facts: provider(neon, { major: 13, values: { options: "endpoint=ep-cool-darkness-123456" } }),
    expect: ["ops.cloud-provider"],
  },
  {
    name: "Neon with sslsni=0",
    facts: provider(neon, { values: { sslsni: "0" } }),
    expect: ["ops.cloud-provider", { code: "ops.cloud-sslmode", message: "sslsni=0 turns SNI off" }],
  },
  {
    name: "libpq before 16 is told to use a bundle file",
    facts: provider("ep-x-1.us-east-2.aws.neon.tech", { major: 15 }),
    expect: [{ code: "ops.cloud-provider", message: "no sslrootcert=system" }],
  },
  {
    name: "libpq 16+ is told sslrootcert=system",
    facts: provider("ep-x-1.us-east-2.aws.neon.tech", { major: 16 }),
    expect: [{ code: "ops.cloud-provider", message: "sslrootcert=system (libpq 16+)" }],
  },
  {
    name: "Cloud SQL Auth Proxy guess (an IAM user on loopback): SSL towards its listener is the problem",
    facts: provider("127.0.0.1", { values: { user: "svc@my-project.iam" }, mode: "require" }),
    expect: [
      { code: "ops.cloud-provider", message: ['IAM database user "svc@my-project.iam"', "verify-full cannot succeed"] },
      { code: "ops.cloud-sslmode", hint: "sslmode=disable" },
    ],
  },
  {
    name: "Cloud SQL Auth Proxy with sslmode=disable: right on loopback",
    facts: provider("127.0.0.1", { values: { user: "svc@my-project.iam" }, mode: "disable" }),
    expect: ["ops.cloud-provider"],
  },
  {
    name: "Supabase 6543 is the transaction pooler: a warning about session state",
    facts: provider("aws-0-eu-central-1.pooler.supabase.com", {
      port: "6543",
      values: { user: "postgres.abcdefghijklmnop" },
    }),
    expect: ["ops.cloud-provider", { code: "ops.cloud-pooler-transaction", message: ["port 6543", "advisory lock"] }],
  },
  {
    name: "the Supabase shared pooler needs user postgres.<ref>: a plain user is pointed out",
    facts: provider("aws-0-eu-central-1.pooler.supabase.com", { values: { user: "postgres" } }),
    expect: [{ code: "ops.cloud-provider", message: 'the user "postgres" has no ".<project-ref>" suffix' }],
  },
  {
    name: "Neon's -pooler endpoint is PgBouncer in transaction mode",
    facts: provider("ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech"),
    expect: ["ops.cloud-provider", { code: "ops.cloud-pooler-transaction", message: "-pooler endpoint" }],
  },
  {
    name: "Azure's 6432 is its built-in PgBouncer",
    facts: provider("srv.postgres.database.azure.com", { port: "6432" }),
    expect: [
      "ops.cloud-provider",
      { code: "ops.cloud-pooler-transaction", subject: "srv.postgres.database.azure.com:6432" },
    ],
  },
  { name: "silent for a host no provider claims", facts: provider("db.internal"), expect: [] },
  { name: "silent without ops facts", facts: {}, expect: [] },
]);

describe("ops/cloud-provider: verify-full is never nagged about", () => {
  it("for any provider whose certificate can be verified", () => {
    for (const [host] of PROVIDER_FIXTURES)
      expect(
        runRule(rule, provider(host)).filter((f) => f.code === "ops.cloud-sslmode"),
        host,
      ).toEqual([]);
  });
});
