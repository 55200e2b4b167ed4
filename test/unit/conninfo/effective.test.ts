import { describe, expect, it } from "vitest";
import { computeEffective, type EffectiveInput, hostEntries } from "../../../src/conninfo/effective.js";
import { passwordFromFile } from "../../../src/conninfo/effective-passfile.js";
import type { LibpqMajor } from "../../../src/model/options.js";

function run(params: Record<string, string>, over: Partial<EffectiveInput> = {}, files: Record<string, string> = {}) {
  return computeEffective({
    params,
    major: 17 as LibpqMajor,
    env: {},
    home: "/home/u",
    osUser: "osuser",
    fileExists: (p) => p in files,
    readFile: (p) => files[p] ?? null,
    statFile: (p) => (p in files ? { isFile: true, mode: p.endsWith(".loose") ? 0o644 : 0o600 } : null),
    ...over,
  });
}

describe("effective parameters", () => {
  it("adds libpq's defaults with their sources", () => {
    const e = run({ host: "db" }).effective;
    expect(e.host).toEqual({ value: "db", source: "connstring" });
    expect(e.port).toMatchObject({ value: "5432", source: "default" });
    expect(e.user).toMatchObject({ value: "osuser", source: "default" });
    expect(e.dbname).toMatchObject({ value: "osuser", source: "default", detail: "same as the user name" });
    expect(e.sslmode).toMatchObject({ value: "prefer", source: "default" });
    expect(e.sslrootcert).toEqual({
      value: "/home/u/.postgresql/root.crt",
      source: "default",
      detail: "default file; it does not exist",
    });
    expect(e.sslcrl?.value).toBe("/home/u/.postgresql/root.crl");
  });
  it("says when a default TLS file exists, and drops the sslcrl default when sslcrldir is set", () => {
    const e = run({ sslcrldir: "/crls" }, {}, { "/home/u/.postgresql/root.crt": "x" }).effective;
    expect(e.sslrootcert?.detail).toBe("default file; it exists");
    expect(e.sslcrl).toBeUndefined();
  });
  it("takes PG* variables for what the string leaves unset, naming the variable and its file", () => {
    const r = run(
      { host: "db" },
      {
        env: { PGHOST: "ignored", PGSSLMODE: "verify-full", PGPORT: "6432", PGSSLROOTCERT: "/ca.crt" },
        envOrigin: (v) => (v === "PGSSLMODE" ? ".env:4" : undefined),
      },
    );
    expect(r.effective.host?.value).toBe("db");
    expect(r.effective.sslmode).toEqual({ value: "verify-full", source: "env", detail: "PGSSLMODE (.env:4)" });
    expect(r.effective.port).toEqual({ value: "6432", source: "env", detail: "PGPORT" });
    expect(r.effective.sslrootcert).toMatchObject({ value: "/ca.crt", source: "env" });
  });
  it("takes an empty variable as set, as getenv() does", () => {
    expect(run({}, { env: { PGSSLMODE: "" } }).effective.sslmode).toMatchObject({ value: "", source: "env" });
  });
  it("reads PGREQUIRESSL=1 as sslmode=require unless PGSSLMODE is set", () => {
    expect(run({}, { env: { PGREQUIRESSL: "1" } }).effective.sslmode?.value).toBe("require");
    expect(run({}, { env: { PGREQUIRESSL: "1", PGSSLMODE: "disable" } }).effective.sslmode?.value).toBe("disable");
    expect(run({}, { env: { PGREQUIRESSL: "0" } }).effective.sslmode?.value).toBe("prefer");
  });
  it("defaults sslmode to verify-full with sslrootcert=system on libpq 16+, not on 15", () => {
    expect(run({ sslrootcert: "system" }).effective.sslmode?.value).toBe("verify-full");
    expect(run({}, { env: { PGSSLROOTCERT: "system" } }).effective.sslmode?.value).toBe("verify-full");
    expect(run({ sslrootcert: "system" }, { major: 15 }).effective.sslmode?.value).toBe("prefer");
    expect(run({ sslrootcert: "system", sslmode: "require" }).effective.sslmode?.value).toBe("require");
  });
  it("applies the string's application parameters over the string", () => {
    const e = run(
      { options: "-c x=1" },
      { application: { options: "-c timezone=utc" }, applicationDetail: "SkillFlaw" },
    ).effective;
    expect(e.options).toMatchObject({ value: "-c timezone=utc", source: "application" });
    expect(e.options?.detail).toMatch(/replaces the value in the URL/);
  });
});

describe("the service file", () => {
  const conf =
    "# services\n[prod]\nhost=svc-host\nsslmode=verify-ca\nsslmode=disable\nport=7000\n\n[other]\nhost=nope\n";
  it("fills what the string left unset, before the environment", () => {
    const r = run(
      { service: "prod", port: "5433" },
      { env: { PGSSLMODE: "require", PGHOST: "env-host" } },
      { "/home/u/.pg_service.conf": conf },
    );
    expect(r.effective.host).toEqual({
      value: "svc-host",
      source: "service",
      detail: "[prod] in /home/u/.pg_service.conf, line 3",
    });
    expect(r.effective.sslmode).toMatchObject({ value: "verify-ca", source: "service" });
    expect(r.effective.port).toEqual({ value: "5433", source: "connstring" });
    expect(r.errors).toEqual([]);
  });
  it("takes PGSERVICE and PGSERVICEFILE, then falls back to PGSYSCONFDIR/pg_service.conf", () => {
    const files = { "/x/svc.conf": "[other]\n", "/etc/pg/pg_service.conf": conf };
    const r = run({}, { env: { PGSERVICE: "prod", PGSERVICEFILE: "/x/svc.conf", PGSYSCONFDIR: "/etc/pg" } }, files);
    expect(r.effective.host?.detail).toBe("[prod] in /etc/pg/pg_service.conf, line 3");
    // A PGSERVICEFILE that does not exist is an error, not a fall-through (libpq 15 agrees, see effective-oracle).
    const missing = run({}, { env: { PGSERVICE: "prod", PGSERVICEFILE: "/x/none.conf" } }, files);
    expect(missing.errors[0]?.message).toBe('service file "/x/none.conf" not found');
  });
  it("reports libpq's errors", () => {
    const files = { "/home/u/.pg_service.conf": "[prod]\nhost = spaced\n" };
    expect(run({ service: "prod" }, {}, files).errors[0]?.message).toBe(
      'syntax error in service file "/home/u/.pg_service.conf", line 2',
    );
    expect(run({ service: "missing" }, {}, files).errors[0]?.message).toBe('definition of service "missing" not found');
    expect(run({ service: "prod" }, {}, { "/home/u/.pg_service.conf": "[prod]\nservice=x\n" }).errors[0]?.message).toBe(
      'nested service specifications not supported in service file "/home/u/.pg_service.conf", line 2',
    );
  });
});

describe("the password file", () => {
  it("finds a matching line with wildcards and reports only where", () => {
    const pgpass = "# comment\nother:5432:*:*:nope\n*:5432:app:alice:s3cr\\:et\n";
    const r = run({ host: "db", dbname: "app", user: "alice" }, {}, { "/home/u/.pgpass": pgpass });
    expect(r.password).toEqual({ source: "passfile", detail: "/home/u/.pgpass, line 3" });
    expect(r.passfilePassword).toBe("s3cr:et");
    expect(r.effective.passfile?.detail).toBe("password file; line 3 matches this connection");
    expect(JSON.stringify(r.effective)).not.toContain("s3cr");
  });
  it("uses PGPASSFILE and ignores a group/world readable file, as libpq does", () => {
    const r = run(
      { host: "db", user: "a", dbname: "d" },
      { env: { PGPASSFILE: "/p.loose" } },
      { "/p.loose": "*:*:*:*:pw\n" },
    );
    expect(r.password.source).toBe("none");
    expect(r.passfile?.perHost[0]?.result).toEqual({ status: "insecure", mode: 0o644 });
    expect(r.effective.passfile?.detail).toMatch(/0644 is group or world accessible/);
  });
  it("does not look at the file when the string or PGPASSWORD has a password", () => {
    expect(run({ password: "x" }, {}, { "/home/u/.pgpass": "*:*:*:*:pw\n" }).password.source).toBe("connstring");
    expect(run({}, { env: { PGPASSWORD: "x" } }).password).toEqual({ source: "env", detail: "PGPASSWORD" });
  });
  it("matches 'localhost' for the default socket directory, and escaped fields", () => {
    const q = { host: "/var/run/postgresql", port: "5432", dbname: "d", user: "u" };
    expect(passwordFromFile(q, { isFile: true, mode: 0o600 }, "localhost:5432:d:u:pw")).toMatchObject({
      status: "match",
    });
    expect(passwordFromFile({ ...q, host: "h:1" }, { isFile: true, mode: 0o600 }, "h\\:1:5432:d:u:pw")).toMatchObject({
      status: "match",
      password: "pw",
    });
    expect(passwordFromFile({ ...q, host: "db" }, { isFile: true, mode: 0o600 }, "localhost:5432:d:u:pw")).toEqual({
      status: "no-match",
      lines: 1,
    });
  });
});

describe("hosts", () => {
  it("classifies each host as libpq does", () => {
    expect(hostEntries({ host: "db,10.0.0.1,/tmp,@abstract,::1", port: "1,2,3,4,5" }, 17)).toEqual([
      { host: "db", port: "1", kind: "dns" },
      { host: "10.0.0.1", port: "2", kind: "ip" },
      { host: "/tmp", port: "3", kind: "unix-socket" },
      { host: "@abstract", port: "4", kind: "unix-socket" },
      { host: "::1", port: "5", kind: "ip" },
    ]);
    expect(hostEntries({ host: "@abstract" }, 13)[0]?.kind).toBe("dns");
    expect(hostEntries({ hostaddr: "10.0.0.2", port: "6000" }, 17)).toEqual([
      { host: "", hostaddr: "10.0.0.2", port: "6000", kind: "ip" },
    ]);
    expect(hostEntries({ host: "a,b", port: "7000" }, 17).map((h) => h.port)).toEqual(["7000", "7000"]);
  });
});
