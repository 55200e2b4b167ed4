// Cloud providers recognised from the host name only: one fixture per provider, the endpoint kinds that change the
// advice, the sslmode warnings, and names that must not be claimed.
import { describe, expect, it } from "vitest";
import type { HostEntry } from "../../../src/conninfo/types.js";
import type { LibpqMajor } from "../../../src/model/options.js";
import type { SslMode } from "../../../src/model/sslmode.js";
import { recogniseProvider } from "../../../src/ops/providers.js";
import { providerRules } from "../../../src/rules/ops.js";

function hostEntry(host: string, port = "5432"): HostEntry {
  return { host, port, kind: /^[\d.]+$/.test(host) || host.includes(":") ? "ip" : "dns" };
}

function run(
  host: string,
  opts: { port?: string; mode?: SslMode | null; major?: LibpqMajor; values?: Record<string, string> } = {},
) {
  const advice = recogniseProvider({
    hosts: [hostEntry(host, opts.port)],
    values: opts.values ?? { user: "app" },
    major: opts.major ?? 17,
    configuredMode: opts.mode === undefined ? "verify-full" : opts.mode,
  });
  return { advice, findings: advice ? providerRules(advice) : [] };
}

const FIXTURES: Array<[string, string, string, string]> = [
  ["mydb.abcdefghij12.eu-west-1.rds.amazonaws.com", "aws-rds", "instance", "global-bundle.pem"],
  ["myproxy.proxy-abcdefghij12.eu-west-1.rds.amazonaws.com", "aws-rds", "proxy", "Amazon Root CA 1"],
  ["aurora.cluster-abcdefghij12.us-east-1.rds.amazonaws.com", "aws-rds", "cluster", "global-bundle.pem"],
  ["aurora.cluster-ro-abcdefghij12.us-east-1.rds.amazonaws.com", "aws-rds", "cluster-reader", "read-only endpoint"],
  ["myserver.postgres.database.azure.com", "azure", "server", "DigiCert Global Root G2"],
  ["1a2b3c4d5e6f.7g8h9i0j1k2l.us-central1.sql.goog", "google-cloud-sql", "dns-name", "server-ca.pem"],
  ["db.abcdefghijklmnop.supabase.co", "supabase", "direct", "prod-ca-2021.crt"],
  ["aws-0-eu-central-1.pooler.supabase.com", "supabase", "pooler-session", "postgres.<project-ref>"],
  ["ep-cool-darkness-123456.us-east-2.aws.neon.tech", "neon", "direct", "Let's Encrypt"],
  ["ec2-54-12-34-56.compute-1.amazonaws.com", "heroku", "server", "a guess"],
  ["db-postgresql-fra1-12345-do-user-1-0.b.db.ondigitalocean.com", "digitalocean", "direct", "ca-certificate.crt"],
  ["p.abcdefghijklmnopqrstuvwxyz.db.postgresbridge.com", "crunchy-bridge", "server", "/teams/{team_id}.pem"],
];

describe("one fixture per provider", () => {
  for (const [host, id, endpoint, text] of FIXTURES) {
    it(`${host} → ${id} (${endpoint})`, () => {
      const { advice, findings } = run(host);
      expect(advice?.facts.id).toBe(id);
      expect(advice?.facts.endpoint).toBe(endpoint);
      const info = findings.find((f) => f.code === "ops.cloud-provider");
      expect(info?.severity).toBe("info");
      expect(info?.message).toContain(text);
      expect(info?.subject).toBe(`${host}:5432`);
    });
  }
  it("host names are matched case-insensitively and with a trailing dot", () => {
    expect(run("MyDB.ABC.eu-west-1.RDS.amazonaws.com.").advice?.facts.id).toBe("aws-rds");
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
      expect(run(host).advice).toBeNull();
    });
  }
  it("a unix socket is skipped even when a later host names a provider, which is then used", () => {
    const advice = recogniseProvider({
      hosts: [{ host: "/var/run/postgresql", port: "5432", kind: "unix-socket" }, hostEntry("x.neon.tech")],
      values: {},
      major: 17,
      configuredMode: "verify-full",
    });
    expect(advice?.facts.id).toBe("neon");
  });
});

describe("what the configured sslmode misses", () => {
  it("verify-full: no warning for any verifiable provider", () => {
    for (const [host] of FIXTURES) {
      const { findings } = run(host);
      expect(
        findings.filter((f) => f.code === "ops.cloud-sslmode"),
        host,
      ).toEqual([]);
    }
  });
  it("require against RDS warns that the certificate can be verified", () => {
    const f = run(FIXTURES[0]?.[0] ?? "", { mode: "require" }).findings.find((x) => x.code === "ops.cloud-sslmode");
    expect(f?.severity).toBe("warning");
    expect(f?.message).toContain("sslmode=require encrypts but does not check");
  });
  it("prefer warns about plaintext fallback", () => {
    const f = run("myserver.postgres.database.azure.com", { mode: "prefer" }).findings.find(
      (x) => x.code === "ops.cloud-sslmode",
    );
    expect(f?.message).toContain("plaintext");
  });
  it("Heroku: require is right (no CA to verify), prefer is not", () => {
    const h = "ec2-54-12-34-56.compute-1.amazonaws.com";
    expect(run(h, { mode: "require" }).findings.map((f) => f.code)).toEqual(["ops.cloud-provider"]);
    expect(run(h, { mode: "prefer" }).findings.map((f) => f.code)).toContain("ops.cloud-sslmode");
    expect(run(h).advice?.facts.verifyFull).toBe("no");
  });
  it("Neon with libpq 13 (no SNI) warns, naming options=endpoint=<id>; libpq 14 does not", () => {
    const host = "ep-cool-darkness-123456.us-east-2.aws.neon.tech";
    const old = run(host, { major: 13 }).findings.find((f) => f.code === "ops.cloud-sslmode");
    expect(old?.message).toContain("libpq 13 sends no SNI");
    expect(old?.message).toContain("The endpoint ID is not specified");
    expect(old?.hint).toContain("options=endpoint%3Dep-cool-darkness-123456");
    expect(run(host, { major: 14 }).findings.map((f) => f.code)).toEqual(["ops.cloud-provider"]);
    expect(
      run(host, { major: 13, values: { options: "endpoint=ep-cool-darkness-123456" } }).findings.map((f) => f.code),
    ).toEqual(["ops.cloud-provider"]);
    expect(
      run(host, { values: { sslsni: "0" } }).findings.find((f) => f.code === "ops.cloud-sslmode")?.message,
    ).toContain("sslsni=0");
  });
  it("libpq before 16 is told to use a bundle file, 16+ sslrootcert=system", () => {
    const host = "ep-x-1.us-east-2.aws.neon.tech";
    expect(run(host, { major: 15 }).findings[0]?.message).toContain("no sslrootcert=system");
    expect(run(host, { major: 16 }).findings[0]?.message).toContain("sslrootcert=system (libpq 16+)");
  });
  it("Cloud SQL Auth Proxy guess: an IAM user on loopback; SSL towards it is the problem", () => {
    const values = { user: "svc@my-project.iam" };
    const { advice, findings } = run("127.0.0.1", { values, mode: "require" });
    expect(advice?.facts).toMatchObject({
      id: "google-cloud-sql",
      endpoint: "auth-proxy",
      guess: true,
      verifyFull: "no",
    });
    expect(findings.find((f) => f.code === "ops.cloud-sslmode")?.hint).toContain("sslmode=disable");
    expect(run("127.0.0.1", { values, mode: "disable" }).findings.map((f) => f.code)).toEqual(["ops.cloud-provider"]);
    expect(run("127.0.0.1", { values: { user: "app" } }).advice).toBeNull();
  });
});

describe("poolers", () => {
  it("Supabase 6543 is the transaction pooler: a warning about session state", () => {
    const { advice, findings } = run("aws-0-eu-central-1.pooler.supabase.com", {
      port: "6543",
      values: { user: "postgres.abcdefghijklmnop" },
    });
    expect(advice?.facts.endpoint).toBe("pooler-transaction");
    const f = findings.find((x) => x.code === "ops.cloud-pooler-transaction");
    expect(f?.severity).toBe("warning");
    expect(f?.message).toContain("port 6543");
    expect(f?.message).toContain("advisory lock");
  });
  it("the Supabase shared pooler needs user postgres.<ref>: a plain user is pointed out", () => {
    const { findings } = run("aws-0-eu-central-1.pooler.supabase.com", { values: { user: "postgres" } });
    expect(findings[0]?.message).toContain('the user "postgres" has no ".<project-ref>" suffix');
  });
  it("Neon's -pooler endpoint and Azure's 6432 PgBouncer are transaction poolers too", () => {
    expect(run("ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech").findings.map((f) => f.code)).toContain(
      "ops.cloud-pooler-transaction",
    );
    expect(run("srv.postgres.database.azure.com", { port: "6432" }).findings.map((f) => f.code)).toContain(
      "ops.cloud-pooler-transaction",
    );
  });
});
