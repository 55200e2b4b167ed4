// The deprecated and doc-only pool variables and SKILLFLAW_WORKERS, read by the stage's own reader.
import { describe, expect, it } from "vitest";
import rule from "../../../../src/rules/ops/pool-variables.js";
import { describeRule, type RuleCase, runRule } from "../../../helpers/rules.js";
import { file, pool } from "./fixtures.js";

const FULL = '{"pool_size": 20, "max_overflow": 30, "pool_timeout": 30, "pool_pre_ping": true, "pool_recycle": 1800}';

const notIntegers: RuleCase[] = ["", "ten", "1.5"].map((v) => ({
  name: `SKILLFLAW_POOL_SIZE=${JSON.stringify(v)} stops startup with pydantic's int_parsing text`,
  facts: pool(file({ SKILLFLAW_POOL_SIZE: v })),
  expect: [
    {
      code: "ops.pool-deprecated-invalid",
      subject: "SKILLFLAW_POOL_SIZE",
      message: [
        v === "" ? "is empty, not an integer" : `is "${v}", not an integer`,
        "pool_size: Input should be a valid integer, unable to parse string as an integer",
      ],
    },
  ],
}));

describeRule(rule, [
  { name: "silent without any variable", facts: pool({}), expect: [] },
  {
    name: "SKILLFLAW_POOL_SIZE overrides the JSON's pool_size with a deprecation warning naming both values",
    facts: pool(file({ SKILLFLAW_DB_CONNECTION_SETTINGS: FULL, SKILLFLAW_POOL_SIZE: "7" })),
    expect: [
      {
        code: "ops.pool-deprecated-variable",
        subject: "SKILLFLAW_POOL_SIZE",
        message: [
          "SKILLFLAW_POOL_SIZE=7 (.env:2)",
          "overrides pool_size 20",
          "pool_size is deprecated. Use db_connection_settings['pool_size'] instead.",
        ],
        hint: 'Put "pool_size": 7 into SKILLFLAW_DB_CONNECTION_SETTINGS and delete SKILLFLAW_POOL_SIZE.',
      },
    ],
  },
  {
    name: "SKILLFLAW_MAX_OVERFLOW alone overrides SkillFlaw's default (nothing from the JSON to name)",
    facts: pool({}, { SKILLFLAW_MAX_OVERFLOW: " 5 " }),
    expect: [{ code: "ops.pool-deprecated-variable", message: "SKILLFLAW_MAX_OVERFLOW=5 (environment) is deprecated" }],
  },
  ...notIntegers,
  {
    name: "an empty SKILLFLAW_WORKERS is pydantic's int error too",
    facts: pool(file({ SKILLFLAW_WORKERS: "" })),
    expect: [{ code: "ops.pool-deprecated-invalid", message: "workers: Input should be a valid integer" }],
  },
  {
    name: "SKILLFLAW_DB_POOL_SIZE / SKILLFLAW_DB_MAX_OVERFLOW are ignored, and said so",
    facts: pool({}, { SKILLFLAW_DB_POOL_SIZE: "10", SKILLFLAW_DB_MAX_OVERFLOW: "20" }),
    expect: [
      { code: "ops.pool-doc-variable-ignored", subject: "SKILLFLAW_DB_POOL_SIZE", message: "SKILLFLAW_POOL_SIZE" },
      {
        code: "ops.pool-doc-variable-ignored",
        subject: "SKILLFLAW_DB_MAX_OVERFLOW",
        message: "SKILLFLAW_MAX_OVERFLOW",
      },
    ],
  },
  {
    name: "the JSON's own problems are another rule's (ops/pool-settings)",
    facts: pool({}, { SKILLFLAW_DB_CONNECTION_SETTINGS: "{bad" }),
    expect: [],
  },
  { name: "silent without ops facts", facts: {}, expect: [] },
]);

describe("ops/pool-variables: where the findings point", () => {
  it("at the .env line of the variable", () => {
    const [f] = runRule(rule, pool(file({ SKILLFLAW_DB_CONNECTION_SETTINGS: FULL, SKILLFLAW_POOL_SIZE: "7" })));
    expect(f?.location).toEqual({ file: ".env", line: 2 });
  });
  it("at the later --env-file when two set it (python-dotenv override=True)", () => {
    const vars = { ...file({ SKILLFLAW_POOL_SIZE: "3" }, "a.env"), ...file({ SKILLFLAW_POOL_SIZE: "4" }, "b.env") };
    const [f] = runRule(rule, pool(vars, { SKILLFLAW_POOL_SIZE: "9" }));
    expect(f?.location?.file).toBe("b.env");
    expect(f?.message).toContain("SKILLFLAW_POOL_SIZE=4");
  });
});
