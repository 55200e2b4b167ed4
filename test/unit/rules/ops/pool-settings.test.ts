// SKILLFLAW_DB_CONNECTION_SETTINGS as SkillFlaw meets it, read by the stage's own reader from the variables.
import { describe, expect, it } from "vitest";
import rule from "../../../../src/rules/ops/pool-settings.js";
import { describeRule, type RuleCase, runRule } from "../../../helpers/rules.js";
import { file, pool } from "./fixtures.js";

const FULL = '{"pool_size": 4, "max_overflow": 2, "pool_timeout": 10, "pool_pre_ping": false, "pool_recycle": 600}';
const env = (json: string) => pool({}, { SKILLFLAW_DB_CONNECTION_SETTINGS: json });

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

const invalidCases: RuleCase[] = invalid.map(([what, value, text]) => ({
  name: `${what} is an error naming the variable, file:line and pydantic's dict_type text`,
  facts: pool(file({ OTHER: "x", SKILLFLAW_DB_CONNECTION_SETTINGS: value })),
  expect: [
    {
      code: "ops.pool-settings-invalid",
      subject: "SKILLFLAW_DB_CONNECTION_SETTINGS",
      message: [
        "SKILLFLAW_DB_CONNECTION_SETTINGS (.env:2)",
        text,
        "Input should be a valid dictionary [type=dict_type]",
      ],
    },
  ],
}));

describeRule(rule, [
  { name: "silent without any variable (SkillFlaw's defaults)", facts: pool({}), expect: [] },
  { name: "silent for a full object", facts: pool(file({ SKILLFLAW_DB_CONNECTION_SETTINGS: FULL })), expect: [] },
  {
    name: '{"pool_size":5} replaces the whole dict: a warning naming SQLAlchemy\'s defaults for the rest',
    facts: env('{"pool_size":5}'),
    expect: [
      {
        code: "ops.pool-settings-partial",
        message: ["max_overflow 10", "pool_pre_ping false", "pool_recycle -1 (never)", "(environment)"],
        // The fix keeps the user's size and adds the missing keys; max_overflow as the 10 in effect now, so the
        // connection count the capacity rule measured does not change when it is applied.
        hint: `SKILLFLAW_DB_CONNECTION_SETTINGS='{"pool_size": 5, "max_overflow": 10, "pool_timeout": 30, "pool_pre_ping": true, "pool_recycle": 1800}'`,
      },
    ],
  },
  {
    name: "an object with other create_engine arguments (connect_args may hold a password) is not repeated",
    facts: env('{"pool_size":5,"connect_args":{"password":"hunter22"}}'),
    expect: [
      {
        code: "ops.pool-settings-partial",
        hint: 'add the missing keys to the object: "max_overflow": 10, "pool_timeout": 30',
      },
    ],
  },
  {
    name: "an empty object {} leaves every key to SQLAlchemy",
    facts: env("{}"),
    expect: ["ops.pool-settings-partial"],
  },
  ...invalidCases,
  {
    name: "single quotes get a hint that shows the quoting",
    facts: env("{'pool_size': 5}"),
    expect: [
      { code: "ops.pool-settings-invalid", hint: "Use double quotes inside the JSON and single quotes around it" },
    ],
  },
  {
    name: "JSON null passes pydantic (dict | None) but breaks the engine set-up",
    facts: env("null"),
    expect: [{ code: "ops.pool-settings-invalid", message: ["is null", ".copy() on None"] }],
  },
  {
    name: "Python's json accepts NaN: the value is then a type problem, not invalid JSON",
    facts: env('{"pool_size": NaN, "max_overflow": 1}'),
    expect: [{ code: "ops.pool-value-type", message: "is null, not an integer" }, "ops.pool-settings-partial"],
  },
  {
    name: "a quoted number for pool_size stops startup (TypeError in QueuePool); a quoted boolean warns",
    facts: env(
      '{"pool_size": "20", "max_overflow": 30, "pool_timeout": 30, "pool_pre_ping": "yes", "pool_recycle": 1800}',
    ),
    expect: [
      {
        code: "ops.pool-value-type",
        subject: "SKILLFLAW_DB_CONNECTION_SETTINGS.pool_size",
        message: ['is string "20", not an integer', "unsupported operand type"],
      },
      {
        code: "ops.pool-value-type",
        subject: "SKILLFLAW_DB_CONNECTION_SETTINGS.pool_pre_ping",
        message: "the pool misbehaves or fails once it is used",
      },
    ],
  },
  {
    name: "a misspelled key is an error: create_engine raises TypeError for it",
    facts: env('{"poolsize": 10, "max_overflow": 5, "pool_timeout": 30, "pool_pre_ping": true, "pool_recycle": 1}'),
    expect: [
      "ops.pool-settings-partial",
      {
        code: "ops.pool-key-misspelled",
        subject: "SKILLFLAW_DB_CONNECTION_SETTINGS.poolsize",
        message: ['"poolsize"', 'did you mean "pool_size"', "Invalid argument(s) 'poolsize'"],
        hint: 'Rename "poolsize" to "pool_size".',
      },
    ],
  },
  {
    name: "QueuePool-only keys next to poolclass NullPool are create_engine's TypeError too",
    facts: env('{"poolclass": "NullPool", "pool_size": 5}'),
    expect: [
      "ops.pool-settings-partial",
      {
        code: "ops.pool-key-misspelled",
        subject: "SKILLFLAW_DB_CONNECTION_SETTINGS.poolclass",
        message: "poolclass NullPool together with pool_size",
        hint: "Remove pool_size when you use NullPool.",
      },
    ],
  },
  {
    name: "an unknown poolclass falls back to the default pool with SkillFlaw's error log text",
    facts: env(
      '{"poolclass": "FastPool", "pool_size": 1, "max_overflow": 1, "pool_timeout": 1, "pool_pre_ping": true, "pool_recycle": 1}',
    ),
    expect: [{ code: "ops.pool-poolclass-invalid", message: "Invalid poolclass 'FastPool' specified" }],
  },
  {
    name: "the deprecated variables are another rule's (ops/pool-variables)",
    facts: pool({}, { SKILLFLAW_POOL_SIZE: "7", SKILLFLAW_DB_POOL_SIZE: "1" }),
    expect: [],
  },
  { name: "silent without ops facts (parse, certs, server)", facts: {}, expect: [] },
]);

describe("ops/pool-settings: where the findings point", () => {
  it("at the .env line of the variable", () => {
    const [f] = runRule(rule, pool(file({ OTHER: "x", SKILLFLAW_DB_CONNECTION_SETTINGS: "{bad" })));
    expect(f?.location).toEqual({ file: ".env", line: 2 });
  });
  it("nowhere for the environment, and JSON null is not pydantic's dict_type error", () => {
    const [f] = runRule(rule, env("null"));
    expect(f?.location).toBeUndefined();
    expect(f?.message).not.toContain("dict_type");
  });
  it("never prints the JSON text, which may hold connect_args with a password", () => {
    const secret = "s3cr3t-pw";
    for (const json of [
      `{"poolsize": 1, "pool_size": "5", "connect_args": {"password": "${secret}"}}`,
      `{"connect_args": {"password": "${secret}"}, "pool_size": 5`,
    ]) {
      const facts = env(json);
      const found = runRule(rule, facts);
      expect(found.length, json).toBeGreaterThan(0);
      expect(JSON.stringify([found, facts]), json).not.toContain(secret);
    }
  });
});
