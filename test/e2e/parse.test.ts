// The built CLI: `dbdoctor parse` (and check --offline) as an operator or CI job runs it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { assertValidReport } from "../helpers/schema.js";

const home = mkdtempSync(join(tmpdir(), "dbdoctor-parse-e2e-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const env = {
  HOME: home,
  SKILLFLAW_DATABASE_URL: undefined,
  PGSSLMODE: undefined,
  PGHOST: undefined,
  PGPASSWORD: undefined,
};
const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, { env: { ...env, ...extra }, cwd: home });
function envFile(name: string, text: string): string {
  const p = join(home, name);
  writeFileSync(p, text);
  return p;
}
interface JsonReport {
  input: { source: Record<string, unknown>; redacted: string; urlStyle: string };
  conninfo: {
    valid: boolean;
    format: string;
    params: Record<string, string>;
    effective: Record<string, { value: string; source: string; detail?: string }>;
    hosts: { host: string; port: string; kind: string }[];
  };
  findings: { code: string; severity: string; message: string; location?: { file: string; line?: number } }[];
}
const json = (stdout: string) => {
  assertValidReport(stdout);
  return JSON.parse(stdout) as JsonReport;
};

describe("dbdoctor parse", () => {
  it("exits 0 for a sound string and prints parameters with their sources", () => {
    const r = run([
      "parse",
      "host=db.internal sslmode=verify-full sslrootcert=system",
      "--format",
      "json",
      "--client",
      "libpq-17",
    ]);
    expect(r.status).toBe(0);
    const rep = json(r.stdout);
    expect(rep.conninfo.valid).toBe(true);
    expect(rep.conninfo.format).toBe("keyword-value");
    expect(rep.conninfo.params).toEqual({ host: "db.internal", sslmode: "verify-full", sslrootcert: "system" });
    expect(rep.conninfo.effective.port).toMatchObject({ value: "5432", source: "default" });
    expect(rep.conninfo.hosts).toEqual([{ host: "db.internal", port: "5432", kind: "dns" }]);
  });

  it("prints the interpretation as text, with sources, and never the password", () => {
    const r = run(["parse", "postgresql://app:Sup3rS3cret@db.internal/app?sslmode=require", "--verbose"], {
      PGCONNECT_TIMEOUT: "7",
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/host\s+db\.internal\s+connstring/);
    expect(r.stdout).toMatch(/connect_timeout\s+7\s+env: PGCONNECT_TIMEOUT/);
    expect(r.stdout).toMatch(/sslrootcert\s+\S+\/\.postgresql\/root\.crt\s+default: default file; it does not exist/);
    expect(r.stdout).not.toContain("Sup3rS3cret");
    expect(r.stdout).toContain("url.password-present");
  });

  it("exits 1 when libpq would refuse the string, with libpq's message and a did-you-mean", () => {
    const r = run(["parse", "host=db sslmode=verify_full", "--format", "json"]);
    expect(r.status).toBe(1);
    const rep = json(r.stdout);
    expect(rep.conninfo.valid).toBe(false);
    expect(rep.findings.map((f) => f.code)).toContain("conninfo.invalid-value");
  });

  it("reads SKILLFLAW_DATABASE_URL from a .env file the way SQLAlchemy does, with file and line", () => {
    const f = envFile(
      "a.env",
      "# db\nexport SKILLFLAW_DATABASE_URL='postgresql://app:p@ss@db.internal:5432/app?ssl=true'\n",
    );
    const r = run(["parse", "--env-file", f, "--format", "json"]);
    expect(r.status).toBe(1);
    const rep = json(r.stdout);
    expect(rep.input.source).toEqual({ kind: "env-file", file: f, line: 2, variable: "SKILLFLAW_DATABASE_URL" });
    expect(rep.input.urlStyle).toBe("sqlalchemy");
    expect(rep.input.redacted).toBe("postgresql://app:********@db.internal:5432/app?ssl=true");
    const codes = rep.findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(["url.password-unescaped", "conninfo.unknown-option"]));
    const unescaped = rep.findings.find((x) => x.code === "url.password-unescaped");
    expect(unescaped?.message).toContain('host "********@db.internal" instead of "db.internal"');
    expect(unescaped?.location).toEqual({ file: f, line: 2 });
    expect(r.stdout).not.toContain("p@ss");
  });

  it("lets a later --env-file win and takes PG* variables from the files", () => {
    const a = envFile("b1.env", "SKILLFLAW_DATABASE_URL=postgresql://first/db\n");
    const b = envFile(
      "b2.env",
      "SKILLFLAW_DATABASE_URL=postgresql://second/db?sslmode=verify-full\nPGSSLROOTCERT=/etc/ca.crt\n",
    );
    const rep = json(run(["parse", "--env-file", a, "--env-file", b, "--format", "json"]).stdout);
    expect(rep.conninfo.params.host).toBe("second");
    expect(rep.conninfo.effective.sslrootcert).toEqual({
      value: "/etc/ca.crt",
      source: "env",
      detail: `PGSSLROOTCERT (${b}:2)`,
    });
    expect(rep.conninfo.effective.options).toMatchObject({ value: "-c timezone=utc", source: "application" });
  });

  it("takes one file per --env-file, so a connection string after it stays the argument", () => {
    const a = envFile("c1.env", "SKILLFLAW_DATABASE_URL=postgresql://from-file/db\n");
    const r = run(["parse", "--env-file", a, "host=from-argument", "--format", "json"]);
    expect(r.status, r.stderr).toBe(0);
    expect(json(r.stdout).conninfo.params.host).toBe("from-argument");
  });

  it("flags the postgres:// scheme that SQLAlchemy rejects", () => {
    const r = run(["parse", "--format", "json"], {
      SKILLFLAW_DATABASE_URL: "postgres://app@db/app?sslmode=verify-full",
    });
    expect(r.status).toBe(1);
    expect(json(r.stdout).findings.map((f) => f.code)).toContain("url.postgres-scheme");
  });

  it("exits 2 naming where it looked when there is no connection string", () => {
    const f = envFile("c.env", "OTHER=1\n");
    const r = run(["parse", "--env-file", f]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      `no connection string found: looked for SKILLFLAW_DATABASE_URL in ${f}, then SKILLFLAW_DATABASE_URL in the environment`,
    );
    expect(r.stderr).toMatch(/SQLite/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 2 for an empty variable, naming the file and line", () => {
    const f = envFile("d.env", "SKILLFLAW_DATABASE_URL=\n");
    const r = run(["parse", "--env-file", f, "--format", "json"], { SKILLFLAW_DATABASE_URL: "postgresql://env/db" });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`SKILLFLAW_DATABASE_URL is empty in ${f}:1`);
  });

  it("exits 2 for an unreadable env file and for --var naming an unset variable", () => {
    const missing = run(["parse", "--env-file", join(home, "nope.env")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("cannot read --env-file");
    const v = run(["parse", "--var", "DATABASE_URL"]);
    expect(v.status).toBe(2);
    expect(v.stderr).toContain("looked for DATABASE_URL in the environment");
  });

  it("honours --fail-on warning and --url-style libpq", () => {
    const warn = run(["parse", "host=db sslmode=require", "--fail-on", "warning"]);
    expect(warn.status).toBe(1);
    const libpq = run(["parse", "--url-style", "libpq", "--format", "json"], {
      SKILLFLAW_DATABASE_URL: "postgresql://db/app?ssl=true",
    });
    expect(json(libpq.stdout).conninfo.params.sslmode).toBe("require");
  });
});

describe("dbdoctor check", () => {
  it("--offline runs the same stages", () => {
    const r = run(["check", "--offline", "host=db sslmode=verify_full", "--format", "json"]);
    expect(r.status).toBe(1);
    expect(json(r.stdout).findings.map((f) => f.code)).toContain("conninfo.invalid-value");
  });
});
