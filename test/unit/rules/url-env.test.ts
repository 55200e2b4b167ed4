import { describe, expect, it } from "vitest";
import { type AnalyzeContext, analyzeConninfo } from "../../../src/conninfo/analyze.js";
import type { EnvFileEntry } from "../../../src/resolve/dotenv.js";
import type { ResolvedInput } from "../../../src/resolve/index.js";

const ctx = (over: Partial<AnalyzeContext> = {}): AnalyzeContext => ({
  urlStyle: "auto",
  libpq: 17,
  env: {},
  home: null,
  cwd: "/",
  osUser: "u",
  fileExists: () => false,
  readFile: () => null,
  ...over,
});
const arg = (value: string, fileVars: Record<string, EnvFileEntry> = {}): ResolvedInput => ({
  value,
  source: { kind: "argument" },
  lookedAt: [],
  fileVars,
});
const fromFile = (
  value: string,
  variable = "SKILLFLAW_DATABASE_URL",
  extra: Partial<ResolvedInput> = {},
): ResolvedInput => ({
  value,
  source: { kind: "env-file", file: ".env", line: 3, variable },
  lookedAt: [],
  fileVars: { [variable]: { value, file: ".env", line: 3 } },
  variable: "SKILLFLAW_DATABASE_URL",
  ...extra,
});
const byCode = (a: ReturnType<typeof analyzeConninfo>, code: string) => a.findings.filter((f) => f.code === code);

describe("url.password-unescaped", () => {
  it("says what SQLAlchemy reads instead, masks the password fragment and gives an encoded template", () => {
    const a = analyzeConninfo(fromFile("postgresql://app:hunter@22@db.internal:5432/app"), ctx());
    const [f] = byCode(a, "url.password-unescaped");
    expect(f?.message).toBe(
      'The password contains unescaped \'@\': SQLAlchemy reads host "********@db.internal" instead of "db.internal", a different (truncated) password.',
    );
    expect(f?.hint).toContain("'@' as %40");
    expect(f?.hint).toContain("postgresql://app:********@db.internal:5432/app");
    expect(f?.location).toEqual({ file: ".env", line: 3 });
    const json = JSON.stringify(a.facts) + JSON.stringify(a.findings);
    expect(json).not.toContain("hunter");
    expect(json).not.toMatch(/"22@db/);
    expect(a.facts.params.host).toBe("********@db.internal");
    expect(a.secrets).toEqual(expect.arrayContaining(["hunter@22", "hunter"]));
  });
  it("explains libpq's reading of a '/' in the password", () => {
    const a = analyzeConninfo(arg("postgresql://app:ab/cdef@db/app"), ctx());
    const [f] = byCode(a, "url.password-unescaped");
    expect(f?.message).toMatch(/^The password contains unescaped '\/': libpq reads /);
    expect(f?.hint).toContain("'/' as %2F");
    expect(JSON.stringify(a.findings)).not.toContain("ab/cdef");
  });
  it("stays quiet when the characters do not change the reading", () => {
    expect(byCode(analyzeConninfo(fromFile("postgresql://app:a/b#c@db/app"), ctx()), "url.password-unescaped")).toEqual(
      [],
    );
    expect(byCode(analyzeConninfo(arg("postgresql://app:p%40ss@db/app"), ctx()), "url.password-unescaped")).toEqual([]);
  });
});

describe("URL style", () => {
  it("reads SKILLFLAW_DATABASE_URL and +driver URLs as SQLAlchemy, plain arguments as libpq", () => {
    expect(analyzeConninfo(fromFile("postgresql://h/db"), ctx()).urlStyle).toBe("sqlalchemy");
    expect(analyzeConninfo(arg("postgresql+psycopg://h/db"), ctx()).urlStyle).toBe("sqlalchemy");
    expect(analyzeConninfo(arg("postgresql://h/db"), ctx()).urlStyle).toBe("libpq");
    expect(analyzeConninfo(arg("postgresql://h/db?ssl=true"), ctx()).facts.params.sslmode).toBe("require");
    expect(analyzeConninfo(fromFile("postgresql://h/db?ssl=true"), ctx()).facts.valid).toBe(false);
    expect(analyzeConninfo(arg("postgresql://h/db"), ctx({ urlStyle: "sqlalchemy" })).urlStyle).toBe("sqlalchemy");
  });
});

describe("env rules", () => {
  it("flags quotes inside the value with the .env location", () => {
    const [f] = byCode(analyzeConninfo(fromFile("'postgresql://h/db'"), ctx()), "env.value-quoted");
    expect(f?.message).toMatch(/starts and ends with a literal ' character/);
    expect(f?.location).toEqual({ file: ".env", line: 3 });
  });
  it("does not flag a keyword/value string that ends with a quoted value", () => {
    expect(byCode(analyzeConninfo(arg("host=h options='-c x=1'"), ctx()), "env.value-quoted")).toEqual([]);
  });
  it("flags whitespace in a URL", () => {
    const [f] = byCode(analyzeConninfo(fromFile("postgresql://h/db "), ctx()), "env.value-whitespace");
    expect(f?.message).toMatch(/trailing whitespace/);
  });
  it("flags an empty PG* variable from a file", () => {
    const input = fromFile("postgresql://h/db");
    input.fileVars.PGSSLMODE = { value: "", file: ".env", line: 5 };
    const [f] = byCode(analyzeConninfo(input, ctx()), "env.empty-value");
    expect(f).toMatchObject({ subject: "PGSSLMODE", location: { file: ".env", line: 5 } });
  });
  it("flags SKILLFLAW_SSL_CERT_FILE pointing at database files or used instead of URL TLS settings", () => {
    const a = analyzeConninfo(
      fromFile("postgresql://h/db"),
      ctx({ env: { SKILLFLAW_SSL_CERT_FILE: "/certs/client.crt" } }),
    );
    expect(byCode(a, "env.ssl-cert-file-confusion")[0]?.message).toMatch(/looks like a database client certificate/);
    const b = analyzeConninfo(fromFile("postgresql://h/db"), ctx({ env: { SKILLFLAW_SSL_KEY_FILE: "/srv/web.pem" } }));
    expect(byCode(b, "env.ssl-cert-file-confusion")[0]?.message).toMatch(/the URL itself sets no TLS parameters/);
    const c = analyzeConninfo(
      fromFile("postgresql://h/db?sslmode=verify-full&sslrootcert=/etc/ca.crt"),
      ctx({ env: { SKILLFLAW_SSL_KEY_FILE: "/srv/web.pem" } }),
    );
    expect(byCode(c, "env.ssl-cert-file-confusion")).toEqual([]);
  });
  it("flags a differently-cased variable", () => {
    const [f] = byCode(
      analyzeConninfo(fromFile("postgresql://h/db", "skillflaw_database_url"), ctx()),
      "env.lowercase-variable",
    );
    expect(f?.message).toMatch(/silently uses its SQLite database/);
  });
  it("reports unparseable .env lines and a value cut at ' #'", () => {
    const input = fromFile("postgresql://u:pa", "SKILLFLAW_DATABASE_URL", {
      problems: [{ file: ".env", line: 7, message: "python-dotenv could not parse statement starting at line 7" }],
    });
    input.fileVars.SKILLFLAW_DATABASE_URL = { value: "postgresql://u:pa", file: ".env", line: 3, commentCut: true };
    const a = analyzeConninfo(input, ctx());
    expect(byCode(a, "env.dotenv-problem")[0]?.location).toEqual({ file: ".env", line: 7 });
    expect(byCode(a, "env.comment-truncated")).toHaveLength(1);
  });
  it("reports a password file libpq ignores", () => {
    const a = analyzeConninfo(
      arg("host=h user=u dbname=d"),
      ctx({
        home: "/home/u",
        fileExists: (p) => p === "/home/u/.pgpass",
        readFile: () => "*:*:*:*:pw\n",
        statFile: (p) => (p === "/home/u/.pgpass" ? { isFile: true, mode: 0o640 } : null),
      }),
    );
    expect(byCode(a, "env.passfile-ignored")[0]?.message).toMatch(/mode 0640/);
  });
});
