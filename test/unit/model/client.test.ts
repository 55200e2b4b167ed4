import { describe, expect, it } from "vitest";
import { defaultClient, parseOpensslVersion, psqlMajorOf } from "../../../src/engine/client.js";
import { alertWordingOf, CLIENT_CHOICES, trustStoreOf } from "../../../src/model/client.js";
import { clientFor, DEBIAN_LIKE } from "./client-fixtures.js";

describe("client profiles", () => {
  it("psycopg-binary: libpq 18, OpenSSL 3.5 wording, tries hosts itself, no store without SSL_CERT_*", () => {
    const p = clientFor("psycopg-binary", {});
    expect(p).toMatchObject({ libpq: 18, alertWording: "ssl/tls", triesHostsItself: true, opensslBundled: true });
    expect(p.trustStore).toMatchObject({ file: "/host/tmp/libpq.build/cert.pem", present: false });
  });
  it("psycopg2-binary: libpq 17, the same wheel OpenSSL, libpq's own host order", () => {
    const p = clientFor("psycopg2-binary", {});
    expect(p).toMatchObject({ libpq: 17, alertWording: "ssl/tls", triesHostsItself: false });
    expect(p.trustStore.present).toBe(false);
  });
  it("SSL_CERT_FILE and SSL_CERT_DIR replace OpenSSL's defaults (a ':' list of directories)", () => {
    const t = trustStoreOf(
      "/x",
      { SSL_CERT_FILE: "/etc/ssl/certs/ca-certificates.crt", SSL_CERT_DIR: "/a:/b" },
      () => false,
    );
    expect(t).toMatchObject({ file: "/etc/ssl/certs/ca-certificates.crt", dirs: ["/a", "/b"], present: false });
    expect(clientFor("psycopg-binary", { SSL_CERT_DIR: "/etc/ssl/certs" }).trustStore.present).toBe(true);
  });
  it("psql and libpq-N run with the system OpenSSL: 3.0 says sslv3 alert, 3.2+ ssl/tls alert", () => {
    expect(clientFor("psql", {})).toMatchObject({ libpq: 15, openssl: "3.0", alertWording: "sslv3" });
    expect(clientFor("libpq-16", {}, { ...DEBIAN_LIKE, openssl: "3.5.1" })).toMatchObject({
      libpq: 16,
      alertWording: "ssl/tls",
    });
    expect(clientFor("libpq-16", {}).trustStore).toMatchObject({ file: "/usr/lib/ssl/cert.pem", present: true });
    expect(alertWordingOf("3.1.4")).toBe("sslv3");
    expect(alertWordingOf("3.2.0")).toBe("ssl/tls");
  });
  it("every libpq major 12..18 is a choice", () => {
    expect(CLIENT_CHOICES).toEqual([
      "psycopg-binary",
      "psycopg2-binary",
      "psql",
      ...[12, 13, 14, 15, 16, 17, 18].map((m) => `libpq-${m}`),
    ]);
  });
});

describe("the default client", () => {
  const psql = () => ({ found: true, major: 15 as const });
  const none = () => ({ found: false });
  it("SKILLFLAW_DATABASE_URL (file or environment) means SkillFlaw's psycopg[binary]", () => {
    const file = { kind: "env-file", file: ".env", line: 1, variable: "SKILLFLAW_DATABASE_URL" } as const;
    expect(defaultClient(file, psql).name).toBe("psycopg-binary");
    expect(defaultClient({ kind: "env", variable: "SKILLFLAW_DATABASE_URL" }, psql).name).toBe("psycopg-binary");
  });
  it("anything else: the local psql's libpq, else libpq 17", () => {
    expect(defaultClient({ kind: "argument" }, psql).name).toBe("psql");
    expect(defaultClient({ kind: "env", variable: "DATABASE_URL" }, psql).name).toBe("psql");
    expect(defaultClient({ kind: "argument" }, none).name).toBe("libpq-17");
  });
  it("reads psql's and OpenSSL's version lines", () => {
    expect(psqlMajorOf("psql (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)")).toBe(15);
    expect(psqlMajorOf("psql (PostgreSQL) 18.1")).toBe(18);
    expect(psqlMajorOf("psql (PostgreSQL) 9.6.24")).toBeUndefined();
    expect(
      parseOpensslVersion(
        'OpenSSL 3.0.19 27 Jan 2026 (Library: OpenSSL 3.0.19 27 Jan 2026)\nOPENSSLDIR: "/usr/lib/ssl"\n',
      ),
    ).toEqual({
      version: "3.0.19",
      openssldir: "/usr/lib/ssl",
    });
  });
});
