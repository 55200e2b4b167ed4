// A pool without an upper bound, from the settings as the stage reads them.
import { describe, expect, it } from "vitest";
import rule from "../../../../src/rules/ops/pool-unbounded.js";
import { describeRule, runRule } from "../../../helpers/rules.js";
import { file, pool } from "./fixtures.js";

const env = (json: string) => pool({}, { SKILLFLAW_DB_CONNECTION_SETTINGS: json });

describeRule(rule, [
  {
    name: "poolclass NullPool opens a connection per session: no bound",
    facts: env('{"poolclass": "NullPool"}'),
    expect: [{ code: "ops.pool-unbounded", subject: "SKILLFLAW_DB_CONNECTION_SETTINGS", message: "NullPool" }],
  },
  {
    name: "max_overflow -1 means unlimited overflow: no bound",
    facts: env('{"pool_size": 5, "max_overflow": -1, "pool_timeout": 30, "pool_pre_ping": true, "pool_recycle": 1800}'),
    expect: [{ code: "ops.pool-unbounded", message: "max_overflow -1 lets every pool open unlimited overflow" }],
  },
  { name: "silent for SkillFlaw's defaults (20 + 30)", facts: pool({}), expect: [] },
  {
    name: "silent when the settings stop SkillFlaw before any pool exists (the size is unknown, not unbounded)",
    facts: env('{"poolclass": "NullPool", "pool_size": "5"}'),
    expect: [],
  },
  {
    name: "silent for an unknown poolclass (SkillFlaw uses the default pool)",
    facts: env('{"poolclass": "X"}'),
    expect: [],
  },
  { name: "silent without ops facts", facts: {}, expect: [] },
]);

describe("ops/pool-unbounded: where the finding points", () => {
  it("at the .env line of SKILLFLAW_DB_CONNECTION_SETTINGS", () => {
    const [f] = runRule(rule, pool(file({ A: "1", SKILLFLAW_DB_CONNECTION_SETTINGS: '{"poolclass": "NullPool"}' })));
    expect(f?.location).toEqual({ file: ".env", line: 2 });
  });
});
