// SkillFlaw's pool settings as its settings code reads them: JSON replaces the default dict, deprecated variables
// override it when set, doc-only names are ignored, --env-file beats the environment. These are the facts; what
// they mean for SkillFlaw is judged in src/rules/ops/pool-*.ts (tests in test/unit/rules/ops/).
import { describe, expect, it } from "vitest";
import { lookupVariable, misspelledKey, pydanticInt, readPoolSettings } from "../../../src/ops/pool.js";
import type { PoolFacts } from "../../../src/ops/types.js";
import { file } from "../rules/ops/fixtures.js";

const kinds = (r: PoolFacts) => r.problems.map((p) => p.kind);
const env = (json: string) => readPoolSettings({}, { SKILLFLAW_DB_CONNECTION_SETTINGS: json });

describe("defaults", () => {
  it("without any variable: SkillFlaw's 20/30/30/true/1800 and one worker, nothing to note", () => {
    const r = readPoolSettings({}, {});
    expect(r).toMatchObject({
      poolSize: 20,
      maxOverflow: 30,
      poolTimeout: 30,
      poolPrePing: true,
      poolRecycle: 1800,
      workers: 1,
      perProcess: 50,
      poolclass: null,
      bound: "finite",
      settingsFrom: null,
    });
    expect(r.sources.pool_size).toEqual({ kind: "skillflaw-default" });
    expect(r.problems).toEqual([]);
  });
});

describe("SKILLFLAW_DB_CONNECTION_SETTINGS", () => {
  it("a full object is taken as is, with the file and line as source", () => {
    const r = readPoolSettings(
      file({
        SKILLFLAW_DB_CONNECTION_SETTINGS:
          '{"pool_size": 4, "max_overflow": 2, "pool_timeout": 10, "pool_pre_ping": false, "pool_recycle": 600}',
      }),
      {},
    );
    expect(r).toMatchObject({ poolSize: 4, maxOverflow: 2, poolTimeout: 10, poolPrePing: false, poolRecycle: 600 });
    expect(r.perProcess).toBe(6);
    const from = { variable: "SKILLFLAW_DB_CONNECTION_SETTINGS", location: { file: ".env", line: 1 } };
    expect(r.sources.pool_size).toEqual({ kind: "variable", ...from });
    expect(r.settingsFrom).toEqual(from);
    expect(r.problems).toEqual([]);
  });
  it('{"pool_size":5} replaces the whole dict: max_overflow 10, pre-ping off, recycle -1 (SQLAlchemy defaults)', () => {
    const r = env('{"pool_size":5}');
    expect(r).toMatchObject({ poolSize: 5, maxOverflow: 10, poolTimeout: 30, poolPrePing: false, poolRecycle: -1 });
    expect(r.perProcess).toBe(15);
    expect(r.sources.max_overflow).toEqual({ kind: "sqlalchemy-default" });
    expect(r.problems).toEqual([
      {
        kind: "json-partial",
        variable: "SKILLFLAW_DB_CONNECTION_SETTINGS",
        missing: ["max_overflow", "pool_timeout", "pool_pre_ping", "pool_recycle"],
        given: { pool_size: 5 },
      },
    ]);
  });
  it("an empty object {} is allowed and means SQLAlchemy's defaults for everything (5 + 10)", () => {
    const r = env("{}");
    expect(r.perProcess).toBe(15);
    expect(kinds(r)).toEqual(["json-partial"]);
  });
  const invalid: Array<[string, string, string]> = [
    ["empty", "", "empty"],
    ["blank", "   ", "empty"],
    ["single-quoted keys", "{'pool_size': 5}", "single-quoted"],
    ["not JSON", "pool_size=5", "not-json"],
    ["trailing comma", '{"pool_size": 5,}', "not-json"],
    ["an array", "[1, 2]", "not-object"],
    ["a number", "5", "not-object"],
    ["a string", '"x"', "not-object"],
    ["null", "null", "null"],
  ];
  for (const [what, value, reason] of invalid) {
    it(`${what}: no dict, so the pool size is unknown (reason ${reason}, at the .env line)`, () => {
      const r = readPoolSettings(file({ OTHER: "x", SKILLFLAW_DB_CONNECTION_SETTINGS: value }), {});
      expect(r.problems).toEqual([
        {
          kind: "json-invalid",
          reason,
          variable: "SKILLFLAW_DB_CONNECTION_SETTINGS",
          location: { file: ".env", line: 2 },
        },
      ]);
      expect(r.perProcess).toBeNull();
      expect(r.bound).toBe("unreadable");
    });
  }
  it("Python's json accepts NaN: the value is then a type problem, not invalid JSON", () => {
    const r = env('{"pool_size": NaN, "max_overflow": 1}');
    expect(kinds(r)).toContain("json-type");
    expect(kinds(r)).not.toContain("json-invalid");
  });
  it("a quoted number for pool_size leaves the size unknown; the types are noted with what was found", () => {
    const r = env(
      '{"pool_size": "20", "max_overflow": 30, "pool_timeout": 30, "pool_pre_ping": "yes", "pool_recycle": 1800}',
    );
    expect(r.problems.filter((p) => p.kind === "json-type")).toMatchObject([
      { key: "pool_size", expected: "integer", got: 'string "20"' },
      { key: "pool_pre_ping", expected: "boolean", got: 'string "yes"' },
    ]);
    expect(r.perProcess).toBeNull();
    expect(r.bound).toBe("unreadable");
  });
  it("a misspelled key is noted with the key it was meant to be", () => {
    const r = env('{"poolsize": 10, "max_overflow": 5, "pool_timeout": 30, "pool_pre_ping": true, "pool_recycle": 1}');
    expect(r.problems).toContainEqual({
      kind: "json-misspelled",
      variable: "SKILLFLAW_DB_CONNECTION_SETTINGS",
      key: "poolsize",
      suggestion: "pool_size",
    });
  });
  it("poolclass NullPool: unbounded, and QueuePool-only keys next to it are noted", () => {
    const r = env('{"poolclass": "NullPool", "pool_size": 5}');
    expect(r.poolclass).toBe("NullPool");
    expect(r.perProcess).toBeNull();
    expect(r.bound).toBe("nullpool");
    expect(r.problems).toContainEqual({
      kind: "nullpool-args",
      variable: "SKILLFLAW_DB_CONNECTION_SETTINGS",
      keys: ["pool_size"],
    });
  });
  it("an unknown poolclass falls back to the default pool", () => {
    const r = env(
      '{"poolclass": "FastPool", "pool_size": 1, "max_overflow": 1, "pool_timeout": 1, "pool_pre_ping": true, "pool_recycle": 1}',
    );
    expect(r.poolclass).toBeNull();
    expect(r.perProcess).toBe(2);
    expect(r.problems).toEqual([
      { kind: "poolclass-invalid", variable: "SKILLFLAW_DB_CONNECTION_SETTINGS", poolclass: "FastPool" },
    ]);
  });
  it("max_overflow -1 means unlimited overflow: no bound", () => {
    const r = env(
      '{"pool_size": 5, "max_overflow": -1, "pool_timeout": 30, "pool_pre_ping": true, "pool_recycle": 1800}',
    );
    expect(r.perProcess).toBeNull();
    expect(r.perProcessNote).toContain("unlimited");
    expect(r.bound).toBe("unlimited-overflow");
    expect(r.problems).toEqual([]);
  });
});

describe("deprecated and doc-only variables", () => {
  it("SKILLFLAW_POOL_SIZE overrides the JSON's pool_size, noting the value it replaced", () => {
    const r = readPoolSettings(
      file({
        SKILLFLAW_DB_CONNECTION_SETTINGS:
          '{"pool_size": 20, "max_overflow": 30, "pool_timeout": 30, "pool_pre_ping": true, "pool_recycle": 1800}',
        SKILLFLAW_POOL_SIZE: "7",
      }),
      {},
    );
    expect(r.poolSize).toBe(7);
    expect(r.perProcess).toBe(37);
    expect(r.sources.pool_size).toEqual({
      kind: "variable",
      variable: "SKILLFLAW_POOL_SIZE",
      location: { file: ".env", line: 2 },
    });
    expect(r.problems).toEqual([
      {
        kind: "deprecated",
        field: "pool_size",
        value: "7",
        overridden: 20,
        variable: "SKILLFLAW_POOL_SIZE",
        location: { file: ".env", line: 2 },
      },
    ]);
  });
  it("SKILLFLAW_MAX_OVERFLOW alone overrides SkillFlaw's default 30 (nothing from the JSON replaced)", () => {
    const r = readPoolSettings({}, { SKILLFLAW_MAX_OVERFLOW: " 5 " });
    expect(r.maxOverflow).toBe(5);
    expect(r.perProcess).toBe(25);
    expect(r.problems).toMatchObject([{ kind: "deprecated", field: "max_overflow", overridden: null }]);
  });
  it("an empty or non-integer deprecated variable leaves the size unknown", () => {
    for (const v of ["", "ten", "1.5"]) {
      const r = readPoolSettings(file({ SKILLFLAW_POOL_SIZE: v }), {});
      expect(r.problems, v).toMatchObject([{ kind: "integer-invalid", field: "pool_size", value: v }]);
      expect(r.perProcess).toBeNull();
      expect(r.bound).toBe("unreadable");
    }
  });
  it("SKILLFLAW_DB_POOL_SIZE / SKILLFLAW_DB_MAX_OVERFLOW are ignored, and noted", () => {
    const r = readPoolSettings({}, { SKILLFLAW_DB_POOL_SIZE: "10", SKILLFLAW_DB_MAX_OVERFLOW: "20" });
    expect(r.perProcess).toBe(50);
    expect(r.problems).toEqual([
      { kind: "doc-variable", variable: "SKILLFLAW_DB_POOL_SIZE" },
      { kind: "doc-variable", variable: "SKILLFLAW_DB_MAX_OVERFLOW" },
    ]);
  });
});

describe("workers and where values come from", () => {
  it("SKILLFLAW_WORKERS sets the workers; an empty one is noted and leaves 1", () => {
    expect(readPoolSettings({}, { SKILLFLAW_WORKERS: "4" }).workers).toBe(4);
    const r = readPoolSettings(file({ SKILLFLAW_WORKERS: "" }), {});
    expect(r.workers).toBe(1);
    expect(r.problems).toMatchObject([{ kind: "integer-invalid", field: "workers" }]);
  });
  it("--env-file beats the environment (python-dotenv override=True); a later file beats an earlier one", () => {
    const vars = { ...file({ SKILLFLAW_POOL_SIZE: "3" }, "a.env"), ...file({ SKILLFLAW_POOL_SIZE: "4" }, "b.env") };
    const r = readPoolSettings(vars, { SKILLFLAW_POOL_SIZE: "9" });
    expect(r.poolSize).toBe(4);
    expect(r.problems[0]?.location?.file).toBe("b.env");
  });
  it("names match case-insensitively, as pydantic-settings does", () => {
    const r = readPoolSettings(
      {},
      {
        skillflaw_db_connection_settings:
          '{"pool_size": 1, "max_overflow": 0, "pool_timeout": 1, "pool_pre_ping": true, "pool_recycle": 1}',
      },
    );
    expect(r.perProcess).toBe(1);
    expect(r.settingsFrom?.variable).toBe("skillflaw_db_connection_settings");
    expect(lookupVariable("SKILLFLAW_WORKERS", file({ Skillflaw_Workers: "2" }), {})?.variable).toBe(
      "Skillflaw_Workers",
    );
  });
  it("pydantic's lax integers and the misspelling table", () => {
    expect(pydanticInt(" 12 ")).toBe(12);
    expect(pydanticInt("+3")).toBe(3);
    expect(pydanticInt("3.0")).toBe(3);
    expect(pydanticInt("3.5")).toBeNull();
    expect(pydanticInt("")).toBeNull();
    expect(misspelledKey("pool_size")).toBeNull();
    expect(misspelledKey("echo")).toBeNull();
    expect(misspelledKey("pool-size")).toBe("pool_size");
    expect(misspelledKey("timeout")).toBe("pool_timeout");
    expect(misspelledKey("max_overflows")).toBe("max_overflow");
    expect(misspelledKey("pre_ping")).toBe("pool_pre_ping");
  });
});
