// libpq's and SQLAlchemy's acceptance are reported apart (issue 13): libpq takes postgres://, SQLAlchemy has no
// "postgres" dialect. `valid` stays "usable by the application" (both), `libpqValid` is libpq's alone.
import { describe, expect, it } from "vitest";
import { analyzeConninfo } from "../../../src/conninfo/analyze.js";
import { argument, context, fromEnvFile } from "../../helpers/conninfo.js";

describe("libpq vs SQLAlchemy validity", () => {
  it("postgres:// from SKILLFLAW_DATABASE_URL: libpq accepts, SQLAlchemy refuses", () => {
    const f = analyzeConninfo(fromEnvFile("postgres://u:pw@db.example.com/app"), context()).facts;
    expect(f.libpqValid).toBe(true);
    expect(f.sqlalchemy?.valid).toBe(false);
    expect(f.valid).toBe(false);
    expect(f.errors).toEqual([]);
  });

  it("postgresql+psycopg:// is fine for both; a libpq argument has no SQLAlchemy verdict", () => {
    const ok = analyzeConninfo(fromEnvFile("postgresql+psycopg://u:pw@db/app"), context()).facts;
    expect([ok.valid, ok.libpqValid, ok.sqlalchemy?.valid]).toEqual([true, true, true]);
    const kv = analyzeConninfo(argument("host=db sslmode=bogus"), context()).facts;
    expect([kv.valid, kv.libpqValid, kv.sqlalchemy]).toEqual([false, false, undefined]);
  });
});
