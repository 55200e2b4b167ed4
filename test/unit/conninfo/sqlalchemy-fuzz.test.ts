// Malformed input of any kind gives findings, never an exception: random strings through the whole conninfo stage
// and its rules, read both as SQLAlchemy (SkillFlaw) and as libpq would, with random PG* variables and .env files.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeConninfo } from "../../../src/conninfo/analyze.js";
import { MASK } from "../../../src/conninfo/types.js";
import { parseDotenv } from "../../../src/resolve/dotenv.js";
import type { ResolvedInput } from "../../../src/resolve/index.js";
import { judged } from "../../helpers/conninfo.js";

const TOKENS = [
  "postgresql://",
  "postgresql+psycopg://",
  "postgres://",
  "postgresql+asyncpg://",
  "u",
  ":",
  "@",
  "/",
  "?",
  "&",
  "=",
  "#",
  "%",
  "%4",
  "%40",
  "%00",
  "[",
  "]",
  "::1",
  ",",
  "h1",
  "5432",
  "host=",
  "port=",
  "sslmode=",
  "verify_full",
  "require",
  "ssl=true",
  "service=",
  "password=",
  " ",
  "'",
  '"',
  "\\",
  "\n",
  "\t",
  "é",
  "options=",
  "sslrootcert=system",
];
const input = fc.array(fc.constantFrom(...TOKENS), { maxLength: 16 }).map((t) => t.join(""));
const envArb = fc.dictionary(
  fc.constantFrom("PGHOST", "PGPORT", "PGSSLMODE", "PGSERVICE", "PGPASSWORD", "PGREQUIRESSL", "PGSSLROOTCERT"),
  fc.constantFrom("", "x", "1", "verify-full", "a,b", "system", "@"),
);

describe("the conninfo stage never throws", () => {
  it("on 5000 random strings in both readings", () => {
    fc.assert(
      fc.property(input, envArb, fc.boolean(), fc.constantFrom(12, 15, 17, 18), (value, env, sqlalchemy, major) => {
        const resolved: ResolvedInput = {
          value,
          source: sqlalchemy ? { kind: "env", variable: "SKILLFLAW_DATABASE_URL" } : { kind: "argument" },
          lookedAt: [],
          fileVars: {},
        };
        const a = analyzeConninfo(resolved, {
          urlStyle: "auto",
          libpq: major as 12 | 15 | 17 | 18,
          env,
          home: "/home/x",
          cwd: "/",
          osUser: "x",
          fileExists: () => false,
          readFile: () => null,
        });
        expect(typeof a.facts.valid).toBe("boolean");
        if (a.facts.params.password !== undefined) expect(a.facts.params.password).toBe(MASK);
        for (const f of judged(a)) expect(f.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 5000, seed: 99 },
    );
  });
  it("on 5000 random .env files", () => {
    fc.assert(
      fc.property(input, (text) => {
        const r = parseDotenv(text, "f.env", {});
        for (const e of Object.values(r.vars)) expect(typeof e.value).toBe("string");
      }),
      { numRuns: 5000, seed: 98 },
    );
  });
});
