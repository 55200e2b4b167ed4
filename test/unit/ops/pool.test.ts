// SkillFlaw's pool settings as its settings code reads them: JSON replaces the default dict, deprecated variables
// override it when set, doc-only names are ignored, --env-file beats the environment, and pydantic's errors.
import { describe, expect, it } from "vitest";
import { lookupVariable, misspelledKey, pydanticInt, readPoolSettings } from "../../../src/ops/pool.js";
import type { EnvFileEntry } from "../../../src/resolve/index.js";

function file(vars: Record<string, string>, name = ".env"): Record<string, EnvFileEntry> {
  return Object.fromEntries(Object.entries(vars).map(([k, value], i) => [k, { value, file: name, line: i + 1 }]));
}

const codes = (r: ReturnType<typeof readPoolSettings>) => r.findings.map((f) => f.code);

describe("defaults", () => {
  it("without any variable: SkillFlaw's 20/30/30/true/1800 and one worker, no findings", () => {
    const r = readPoolSettings({}, {});
    expect(r.settings).toMatchObject({
      poolSize: 20,
      maxOverflow: 30,
      poolTimeout: 30,
      poolPrePing: true,
      poolRecycle: 1800,
      workers: 1,
      perProcess: 50,
      poolclass: null,
    });
    expect(r.sources.pool_size).toEqual({ kind: "skillflaw-default" });
    expect(r.findings).toEqual([]);
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
    expect(r.settings).toMatchObject({
      poolSize: 4,
      maxOverflow: 2,
      poolTimeout: 10,
      poolPrePing: false,
      poolRecycle: 600,
    });
    expect(r.settings.perProcess).toBe(6);
    expect(r.sources.pool_size).toEqual({
      kind: "variable",
      variable: "SKILLFLAW_DB_CONNECTION_SETTINGS",
      location: { file: ".env", line: 1 },
    });
    expect(r.findings).toEqual([]);
  });
  it('{"pool_size":5} replaces the whole dict: max_overflow 10, pre-ping off, recycle -1 (SQLAlchemy defaults)', () => {
    const r = readPoolSettings({}, { SKILLFLAW_DB_CONNECTION_SETTINGS: '{"pool_size":5}' });
    expect(r.settings).toMatchObject({
      poolSize: 5,
      maxOverflow: 10,
      poolTimeout: 30,
      poolPrePing: false,
      poolRecycle: -1,
    });
    expect(r.settings.perProcess).toBe(15);
    expect(r.sources.max_overflow).toEqual({ kind: "sqlalchemy-default" });
    const f = r.findings.find((x) => x.code === "ops.pool-settings-partial");
    expect(f?.severity).toBe("warning");
    expect(f?.message).toContain("max_overflow 10");
    expect(f?.message).toContain("pool_pre_ping false");
    expect(f?.message).toContain("(environment)");
  });
  it("an empty object {} is allowed and means SQLAlchemy's defaults for everything (5 + 10)", () => {
    const r = readPoolSettings({}, { SKILLFLAW_DB_CONNECTION_SETTINGS: "{}" });
    expect(r.settings.perProcess).toBe(15);
    expect(codes(r)).toEqual(["ops.pool-settings-partial"]);
  });
  const invalid: Array<[string, string, string]> = [
    ["empty", "", "is empty"],
    ["blank", "   ", "is empty"],
    ["single-quoted keys", "{'pool_size': 5}", "single quotes"],
    ["not JSON", "pool_size=5", "is not valid JSON"],
    ["trailing comma", '{"pool_size": 5,}', "is not valid JSON"],
    ["an array", "[1, 2]", "not an object"],
    ["a number", "5", "not an object"],
    ["a string", '"x"', "not an object"],
  ];
  for (const [what, value, text] of invalid) {
    it(`${what} is an error naming the variable, file:line and pydantic's dict_type text`, () => {
      const r = readPoolSettings(file({ OTHER: "x", SKILLFLAW_DB_CONNECTION_SETTINGS: value }), {});
      const f = r.findings.find((x) => x.code === "ops.pool-settings-invalid");
      expect(f?.severity).toBe("error");
      expect(f?.message).toContain("SKILLFLAW_DB_CONNECTION_SETTINGS (.env:2)");
      expect(f?.message).toContain(text);
      expect(f?.message).toContain("Input should be a valid dictionary [type=dict_type]");
      expect(f?.location).toEqual({ file: ".env", line: 2 });
      expect(r.settings.perProcess).toBeNull();
    });
  }
  it("JSON null passes pydantic (dict | None) but breaks the engine set-up", () => {
    const r = readPoolSettings({}, { SKILLFLAW_DB_CONNECTION_SETTINGS: "null" });
    const f = r.findings.find((x) => x.code === "ops.pool-settings-invalid");
    expect(f?.message).toContain("null");
    expect(f?.message).not.toContain("dict_type");
  });
  it("Python's json accepts NaN: the value is then a type problem, not invalid JSON", () => {
    const r = readPoolSettings({}, { SKILLFLAW_DB_CONNECTION_SETTINGS: '{"pool_size": NaN, "max_overflow": 1}' });
    expect(codes(r)).toContain("ops.pool-value-type");
    expect(codes(r)).not.toContain("ops.pool-settings-invalid");
  });
  it("a quoted number for pool_size stops startup (TypeError in QueuePool); others warn", () => {
    const r = readPoolSettings(
      {},
      {
        SKILLFLAW_DB_CONNECTION_SETTINGS:
          '{"pool_size": "20", "max_overflow": 30, "pool_timeout": 30, "pool_pre_ping": "yes", "pool_recycle": 1800}',
      },
    );
    const types = r.findings.filter((f) => f.code === "ops.pool-value-type");
    expect(types.map((f) => f.subject).sort()).toEqual([
      "SKILLFLAW_DB_CONNECTION_SETTINGS.pool_pre_ping",
      "SKILLFLAW_DB_CONNECTION_SETTINGS.pool_size",
    ]);
    expect(types.find((f) => f.subject.endsWith("pool_size"))?.message).toContain("unsupported operand type");
    expect(r.settings.perProcess).toBeNull();
  });
  it("a misspelled key is an error: create_engine raises TypeError for it", () => {
    const r = readPoolSettings(
      {},
      {
        SKILLFLAW_DB_CONNECTION_SETTINGS:
          '{"poolsize": 10, "max_overflow": 5, "pool_timeout": 30, "pool_pre_ping": true, "pool_recycle": 1}',
      },
    );
    const f = r.findings.find((x) => x.code === "ops.pool-key-misspelled");
    expect(f?.severity).toBe("error");
    expect(f?.message).toContain('"poolsize"');
    expect(f?.message).toContain('did you mean "pool_size"');
  });
  it("poolclass NullPool: unbounded, and QueuePool-only keys next to it are a TypeError", () => {
    const r = readPoolSettings({}, { SKILLFLAW_DB_CONNECTION_SETTINGS: '{"poolclass": "NullPool", "pool_size": 5}' });
    expect(r.settings.poolclass).toBe("NullPool");
    expect(r.settings.perProcess).toBeNull();
    expect(codes(r)).toContain("ops.pool-unbounded");
    expect(r.findings.find((f) => f.code === "ops.pool-key-misspelled")?.message).toContain("NullPool");
  });
  it("an unknown poolclass falls back to the default pool with SkillFlaw's error log text", () => {
    const r = readPoolSettings(
      {},
      {
        SKILLFLAW_DB_CONNECTION_SETTINGS:
          '{"poolclass": "FastPool", "pool_size": 1, "max_overflow": 1, "pool_timeout": 1, "pool_pre_ping": true, "pool_recycle": 1}',
      },
    );
    expect(r.settings.poolclass).toBeNull();
    expect(r.settings.perProcess).toBe(2);
    expect(r.findings.map((f) => f.message).join()).toContain("Invalid poolclass 'FastPool' specified");
  });
  it("max_overflow -1 means unlimited overflow: no bound", () => {
    const r = readPoolSettings(
      {},
      {
        SKILLFLAW_DB_CONNECTION_SETTINGS:
          '{"pool_size": 5, "max_overflow": -1, "pool_timeout": 30, "pool_pre_ping": true, "pool_recycle": 1800}',
      },
    );
    expect(r.settings.perProcess).toBeNull();
    expect(r.settings.perProcessNote).toContain("unlimited");
    expect(codes(r)).toEqual(["ops.pool-unbounded"]);
  });
});

describe("deprecated and doc-only variables", () => {
  it("SKILLFLAW_POOL_SIZE overrides the JSON's pool_size with a deprecation warning naming both values", () => {
    const r = readPoolSettings(
      file({
        SKILLFLAW_DB_CONNECTION_SETTINGS:
          '{"pool_size": 20, "max_overflow": 30, "pool_timeout": 30, "pool_pre_ping": true, "pool_recycle": 1800}',
        SKILLFLAW_POOL_SIZE: "7",
      }),
      {},
    );
    expect(r.settings.poolSize).toBe(7);
    expect(r.settings.perProcess).toBe(37);
    const f = r.findings.find((x) => x.code === "ops.pool-deprecated-variable");
    expect(f?.message).toContain("overrides pool_size 20");
    expect(f?.message).toContain("pool_size is deprecated. Use db_connection_settings['pool_size'] instead.");
    expect(f?.location).toEqual({ file: ".env", line: 2 });
  });
  it("SKILLFLAW_MAX_OVERFLOW alone overrides SkillFlaw's default 30", () => {
    const r = readPoolSettings({}, { SKILLFLAW_MAX_OVERFLOW: " 5 " });
    expect(r.settings.maxOverflow).toBe(5);
    expect(r.settings.perProcess).toBe(25);
    expect(codes(r)).toEqual(["ops.pool-deprecated-variable"]);
  });
  it("an empty or non-integer deprecated variable stops startup with pydantic's int_parsing text", () => {
    for (const v of ["", "ten", "1.5"]) {
      const r = readPoolSettings(file({ SKILLFLAW_POOL_SIZE: v }), {});
      const f = r.findings.find((x) => x.code === "ops.pool-deprecated-invalid");
      expect(f?.severity, v).toBe("error");
      expect(f?.message).toContain("unable to parse string as an integer");
      expect(r.settings.perProcess).toBeNull();
    }
  });
  it("SKILLFLAW_DB_POOL_SIZE / SKILLFLAW_DB_MAX_OVERFLOW are ignored, and said so", () => {
    const r = readPoolSettings({}, { SKILLFLAW_DB_POOL_SIZE: "10", SKILLFLAW_DB_MAX_OVERFLOW: "20" });
    expect(r.settings.perProcess).toBe(50);
    expect(r.findings.map((f) => f.code)).toEqual(["ops.pool-doc-variable-ignored", "ops.pool-doc-variable-ignored"]);
    expect(r.findings[0]?.message).toContain("SKILLFLAW_POOL_SIZE");
  });
});

describe("workers and where values come from", () => {
  it("SKILLFLAW_WORKERS sets the workers; empty is pydantic's int error", () => {
    expect(readPoolSettings({}, { SKILLFLAW_WORKERS: "4" }).settings.workers).toBe(4);
    const r = readPoolSettings(file({ SKILLFLAW_WORKERS: "" }), {});
    expect(r.settings.workers).toBe(1);
    expect(r.findings[0]?.code).toBe("ops.pool-deprecated-invalid");
  });
  it("--env-file beats the environment (python-dotenv override=True); a later file beats an earlier one", () => {
    const vars = { ...file({ SKILLFLAW_POOL_SIZE: "3" }, "a.env"), ...file({ SKILLFLAW_POOL_SIZE: "4" }, "b.env") };
    const r = readPoolSettings(vars, { SKILLFLAW_POOL_SIZE: "9" });
    expect(r.settings.poolSize).toBe(4);
    expect(r.findings[0]?.location?.file).toBe("b.env");
  });
  it("names match case-insensitively, as pydantic-settings does", () => {
    const r = readPoolSettings(
      {},
      {
        skillflaw_db_connection_settings:
          '{"pool_size": 1, "max_overflow": 0, "pool_timeout": 1, "pool_pre_ping": true, "pool_recycle": 1}',
      },
    );
    expect(r.settings.perProcess).toBe(1);
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
