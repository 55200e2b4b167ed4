// Cloud providers recognised from the host name only: one fixture per provider, the endpoint kinds, whether
// verify-full can succeed there, the client facts the advice depends on, and names that must not be claimed.
// (The advice itself is judged by src/rules/ops/cloud-provider.ts, tested in test/unit/rules/ops/.)
import { describe, expect, it } from "vitest";
import { recogniseProvider } from "../../../src/ops/providers.js";
import { PROVIDER_FIXTURES, providerOf } from "../rules/ops/fixtures.js";

describe("one fixture per provider", () => {
  for (const [host, id, endpoint] of PROVIDER_FIXTURES) {
    it(`${host} → ${id} (${endpoint})`, () => {
      const p = providerOf(host);
      expect(p?.id).toBe(id);
      expect(p?.endpoint).toBe(endpoint);
      expect(p?.host).toBe(host);
      expect(p?.port).toBe("5432");
    });
  }
  it("host names are matched case-insensitively and with a trailing dot", () => {
    expect(providerOf("MyDB.ABC.eu-west-1.RDS.amazonaws.com.")?.id).toBe("aws-rds");
  });
  it("whether verify-full can succeed is known per endpoint", () => {
    expect(providerOf(PROVIDER_FIXTURES[0]?.[0] ?? "")?.verifyFull).toBe("yes");
    expect(providerOf("ec2-54-12-34-56.compute-1.amazonaws.com")?.verifyFull).toBe("no");
    expect(providerOf("aws-0-eu-central-1.pooler.supabase.com")?.verifyFull).toBe("with-care");
    expect(providerOf("db.abcdefghijklmnop.supabase.co")?.verifyFull).toBe("yes");
    expect(providerOf("db.abcdefghijklmnop.supabase.co", { port: "6543" })).toMatchObject({
      endpoint: "pooler-transaction",
      verifyFull: "with-care",
    });
    expect(providerOf("p.abc.db.postgresbridge.com")?.verifyFull).toBe("with-care");
  });
  it("ports name the pooler endpoints", () => {
    expect(providerOf("srv.postgres.database.azure.com", { port: "6432" })?.endpoint).toBe("pooler-pgbouncer");
    expect(providerOf("x.b.db.ondigitalocean.com", { port: "25061" })?.endpoint).toBe("pooler");
    expect(providerOf("ep-a-1-pooler.us-east-2.aws.neon.tech")?.endpoint).toBe("pooler-transaction");
  });
  it("carries the client facts the advice depends on: user, sslmode, libpq major, SNI, options endpoint=", () => {
    expect(
      providerOf("ep-a-1.us-east-2.aws.neon.tech", {
        mode: "require",
        major: 13,
        values: { user: "app", sslsni: "0", options: "-c x=1 endpoint=ep-a-1" },
      })?.client,
    ).toEqual({ user: "app", sslmode: "require", libpqMajor: 13, sslsni: false, endpointOption: true });
    expect(providerOf("ep-a-1.us-east-2.aws.neon.tech", { values: {} })?.client).toEqual({
      user: null,
      sslmode: "verify-full",
      libpqMajor: 17,
      sslsni: true,
      endpointOption: false,
    });
  });
});

describe("negatives: names that must not be claimed", () => {
  for (const host of [
    "db.internal",
    "localhost",
    "127.0.0.1",
    "10.0.0.5",
    "rds.amazonaws.com.evil.example",
    "mydb.postgres.database.azure.com.example.org",
    "supabase.co.example.com",
    "neon.tech.example",
    "ec2-54-12-34-56.eu-west-1.amazonaws.com.example",
    "myhost.amazonaws.com",
    "db.ondigitalocean.com.example",
    "34.123.45.67",
  ]) {
    it(`${host} is no provider`, () => {
      expect(providerOf(host)).toBeNull();
    });
  }
  it("a unix socket is skipped even when a later host names a provider, which is then used", () => {
    const p = recogniseProvider({
      hosts: [
        { host: "/var/run/postgresql", port: "5432", kind: "unix-socket" },
        { host: "x.neon.tech", port: "5432", kind: "dns" },
      ],
      values: {},
      major: 17,
      configuredMode: "verify-full",
    });
    expect(p?.id).toBe("neon");
  });
  it("the Cloud SQL Auth Proxy only from an IAM user on loopback: a guess that verify-full cannot pass", () => {
    expect(providerOf("127.0.0.1", { values: { user: "svc@my-project.iam" } })).toMatchObject({
      id: "google-cloud-sql",
      endpoint: "auth-proxy",
      guess: true,
      verifyFull: "no",
    });
    expect(providerOf("127.0.0.1", { values: { user: "app" } })).toBeNull();
  });
});
