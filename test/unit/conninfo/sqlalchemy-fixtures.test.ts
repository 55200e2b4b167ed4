// The SQLAlchemy fixtures: what SkillFlaw's SQLAlchemy + psycopg stack reads from each URL, the keyword/value string
// psycopg hands libpq, libpq's verdict on it, and the findings.
import { describe, expect, it } from "vitest";
import { analyzeConninfo } from "../../../src/conninfo/analyze.js";
import { parseLibpqConninfo } from "../../../src/conninfo/libpq.js";
import { dialectOf, makeConninfo, parseSqlAlchemyUrl, psycopgConnectArgs } from "../../../src/conninfo/sqlalchemy.js";
import type { ResolvedInput } from "../../../src/resolve/index.js";
import { judged } from "../../helpers/conninfo.js";
import { analyzeAsSkillflaw, CASES } from "./sqlalchemy-cases.js";

describe("SQLAlchemy fixtures", () => {
  it("has a case for each behaviour", () => expect(CASES.length).toBeGreaterThanOrEqual(30));
  for (const c of CASES) {
    it(c.name, () => {
      const e = c.expect;
      const parsed = parseSqlAlchemyUrl(c.url);
      if (e.sqlalchemyError) {
        expect(parsed).toMatchObject({ ok: false, kind: e.sqlalchemyError });
      } else {
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const u = parsed.url;
        if (e.host !== undefined) expect(u.host).toBe(e.host);
        if (e.port !== undefined) expect(u.port).toBe(e.port);
        if (e.username !== undefined) expect(u.username).toBe(e.username);
        if (e.database !== undefined) expect(u.database).toBe(e.database);
        if (e.passwordRead !== undefined) expect(u.password).toBe(e.passwordRead);
        expect(dialectOf(u.drivername).loadError).toBe(e.dialectError ?? null);
        const args = psycopgConnectArgs(u, {});
        if (e.argsError !== undefined) expect(args).toEqual({ ok: false, error: e.argsError });
        else {
          expect(args.ok).toBe(true);
          if (!args.ok) return;
          const kv = makeConninfo(args.kwargs);
          if (e.conninfo !== undefined) expect(kv).toBe(e.conninfo);
          if (e.libpq !== undefined) {
            const r = parseLibpqConninfo(kv, 17);
            expect(r.format).toBe("keyword-value");
            if (e.libpq === "ok") expect(r.ok).toBe(true);
            else expect(r.ok ? "ok" : r.error.message).toBe(e.libpq);
          }
        }
      }
      if (e.codes !== undefined) {
        const codes = judged(analyzeAsSkillflaw(c.url)).map((f) => f.code);
        for (const code of e.codes) expect(codes).toContain(code);
        // The url.* family is exact: no finding of it beyond those expected.
        expect(codes.filter((x) => x.startsWith("url.")).sort()).toEqual(
          e.codes.filter((x) => x.startsWith("url.")).sort(),
        );
      }
    });
  }
});

describe("SkillFlaw's connect_args", () => {
  it("adds options=-c timezone=utc with source application", () => {
    const a = analyzeAsSkillflaw("postgresql://u@h/db?sslmode=require");
    expect(a.facts.effective.options).toEqual({
      value: "-c timezone=utc",
      source: "application",
      detail: "SkillFlaw's connect_args for PostgreSQL",
    });
    expect(a.facts.params).toEqual({ host: "h", dbname: "db", user: "u", sslmode: "require" });
    expect(a.facts.format).toBe("sqlalchemy-url");
    expect(a.facts.valid).toBe(true);
  });
  it("is replaced by SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS", () => {
    const input: ResolvedInput = {
      value: "postgresql://u@h/db",
      source: { kind: "env", variable: "SKILLFLAW_DATABASE_URL" },
      lookedAt: [],
      fileVars: {
        SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS: { value: '{"sslmode": "verify-full"}', file: ".env", line: 2 },
      },
    };
    const a = analyzeConninfo(input, {
      urlStyle: "auto",
      libpq: 17,
      env: {},
      home: null,
      cwd: "/",
      fileExists: () => false,
      readFile: () => null,
    });
    expect(a.facts.effective.options).toBeUndefined();
    expect(a.facts.effective.sslmode).toMatchObject({ value: "verify-full", source: "application" });
    expect(judged(a).map((f) => f.code)).toContain("env.driver-settings-replace");
  });
});
