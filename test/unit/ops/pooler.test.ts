// Which pooler the measured signs show (ops/pooler.ts), and the readers' pure parts: SHOW CONFIG's rows and the
// ErrorResponse of a startup. The signs are those PgBouncer 1.18 showed in the lab (test/integration/pooler-lab.test.ts).
import { describe, expect, it } from "vitest";
import { identifyPooler, proxySuspected } from "../../../src/ops/pooler.js";
import { poolerConfig } from "../../../src/ops/pooler-signs.js";
import { PROBE_PARAMETER, parseErrorFields } from "../../../src/ops/pooler-startup.js";
import { providerOf } from "../rules/ops/fixtures.js";
import { bouncerSession, directSession } from "../rules/pooler/fixtures.js";

describe("identifyPooler", () => {
  it("sees nothing in a direct PostgreSQL session", () => {
    expect(identifyPooler({ session: directSession() })).toBeNull();
    expect(proxySuspected(directSession())).toBe(false);
  });

  it("names PgBouncer from its admin console, certain, with the random BackendKeyData and the TLS split", () => {
    const p = identifyPooler({ session: bouncerSession() });
    expect(p?.kind).toBe("pgbouncer");
    expect(p?.confidence).toBe("certain");
    expect(p?.evidence.map((e) => e.sign)).toEqual(["backend-key", "tls-split", "port-differs", "admin-console"]);
    expect(p?.config).toEqual({
      status: "skipped",
      reason: "PgBouncer's SHOW CONFIG needs a role in admin_users or stats_users; this role is in neither",
    });
    expect(p?.clientTls).toBe("TLSv1.3");
  });

  it("suspects a proxy from the key or the split alone, never from a differing port (a FATAL on a direct server)", () => {
    expect(proxySuspected(bouncerSession({ adminConsole: undefined }))).toBe(true);
    expect(proxySuspected(directSession({ serverPort: 5433 }))).toBe(false);
    expect(proxySuspected(directSession({ serverSsl: false, serverSslVersion: null }))).toBe(true);
  });

  it("says 'a pooler or proxy' when nothing names it", () => {
    const p = identifyPooler({ session: bouncerSession({ adminConsole: { state: "absent", message: "x" } }) });
    expect(p?.kind).toBe("proxy");
    expect(p?.name).toBe("a pooler or proxy");
    expect(p?.confidence).toBe("certain");
  });

  it("takes pgpool-II from SHOW pool_version over everything else", () => {
    const p = identifyPooler({
      session: bouncerSession({ poolVersion: "4.3.5 (tamahomeboshi)", adminConsole: undefined }),
    });
    expect(p?.kind).toBe("pgpool");
    expect(p?.name).toBe("pgpool-II");
    expect(p?.config.status).toBe("skipped");
  });

  it("names PgBouncer from one of its own error texts (likely), and from a startup parameter it refuses (certain)", () => {
    const byText = identifyPooler({
      wire: { errors: [{ sslmode: "disable", message: "FATAL:  SSL required" }], sslAnswer: "S", auth: [] },
    });
    expect([byText?.kind, byText?.confidence]).toEqual(["pgbouncer", "likely"]);
    const pg = identifyPooler({
      wire: {
        errors: [{ sslmode: "disable", message: 'FATAL:  password authentication failed for user "app"' }],
        sslAnswer: "S",
        auth: [],
      },
    });
    expect(pg).toBeNull();
    const startup = identifyPooler({
      startup: {
        host: "db",
        port: 6432,
        fields: { S: "FATAL", C: "08P01", M: `unsupported startup parameter: ${PROBE_PARAMETER}` },
      },
    });
    expect([startup?.kind, startup?.confidence]).toEqual(["pgbouncer", "certain"]);
    // PostgreSQL's own errors carry their source (F, L, R): no sign.
    expect(
      identifyPooler({
        startup: {
          host: "db",
          port: 5432,
          fields: { S: "FATAL", C: "28000", M: "no pg_hba.conf entry", F: "auth.c", L: "1", R: "ClientAuthentication" },
        },
      }),
    ).toBeNull();
  });

  it("an 'N' while the server says ssl = on is a pooler's answer", () => {
    const p = identifyPooler({
      wire: {
        errors: [],
        sslAnswer: "N",
        auth: [],
        matrixSession: { sslmode: "prefer", sslSetting: "on", serverSsl: false, clientTls: null },
      },
    });
    expect(p?.evidence.map((e) => e.sign)).toEqual(["ssl-answer"]);
    expect(p?.offersTls).toBe(false);
  });

  it("knows providers' poolers from the host name and port", () => {
    const supa = identifyPooler({ provider: providerOf("aws-0-eu-central-1.pooler.supabase.com", { port: "6543" }) });
    expect([supa?.kind, supa?.confidence]).toEqual(["supavisor", "likely"]);
    const proxy = identifyPooler({ provider: providerOf("myproxy.proxy-abcdefghij12.eu-west-1.rds.amazonaws.com") });
    expect(proxy?.kind).toBe("rds-proxy");
    const neon = identifyPooler({ provider: providerOf("ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech") });
    expect(neon?.kind).toBe("pgbouncer");
    expect(identifyPooler({ provider: providerOf("db.abcdefghijklmnop.supabase.co") })).toBeNull();
  });
});

describe("poolerConfig", () => {
  it("reads SHOW CONFIG's key/value rows", () => {
    const c = poolerConfig([
      { key: "max_client_conn", value: "30" },
      { key: "default_pool_size", value: "10" },
      { key: "pool_mode", value: "transaction" },
      { key: "auth_type", value: "scram-sha-256" },
      { key: "client_tls_sslmode", value: "require" },
    ]);
    expect(c).toEqual({
      maxClientConn: 30,
      defaultPoolSize: 10,
      maxDbConnections: null,
      poolMode: "transaction",
      authType: "scram-sha-256",
      clientTlsSslmode: "require",
      serverTlsSslmode: null,
    });
  });
});

describe("parseErrorFields", () => {
  it("splits an ErrorResponse body into its one-letter fields", () => {
    const body = Buffer.from("SFATAL\0C08P01\0Munsupported startup parameter: x\0\0", "utf8");
    expect(parseErrorFields(body)).toEqual({ S: "FATAL", C: "08P01", M: "unsupported startup parameter: x" });
  });
});
