// The pool model against real SQLAlchemy where installed (Debian's python3-sqlalchemy 1.4.46 with psycopg2; the
// QueuePool/create_engine argument handling is the same in 2.x, and AsyncAdaptedQueuePool inherits QueuePool's
// __init__): each JSON goes through json.loads and SkillFlaw's poolclass lookup into create_engine, exactly as
// SkillFlaw passes db_connection_settings; the resulting pool's size, overflow, timeout, pre-ping and recycle, or
// the TypeError, must be what readPoolSettings and the ops/pool-settings rule predict.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { readPoolSettings } from "../../../src/ops/pool.js";
import poolSettings from "../../../src/rules/ops/pool-settings.js";
import { runRule } from "../../helpers/rules.js";
import { opsFacts } from "../rules/ops/fixtures.js";

const PYTHON = "/usr/bin/python3";
const probe = spawnSync(PYTHON, ["-c", "import sqlalchemy, psycopg2"], { encoding: "utf8" });
const available = probe.status === 0;
if (!available)
  console.warn(
    `skipping the SQLAlchemy pool oracle: ${PYTHON} lacks sqlalchemy or psycopg2 (apt-get install python3-sqlalchemy python3-psycopg2)`,
  );

const PY = `
import json, sys
import sqlalchemy as sa
out = []
for text in json.load(sys.stdin):
    kw = dict(json.loads(text))
    kw.pop("echo", None)
    pc = kw.get("poolclass")
    if pc is not None:
        cls = getattr(sa.pool, pc, None)
        if cls and isinstance(cls, type) and issubclass(cls, sa.pool.Pool):
            kw["poolclass"] = cls
        else:
            kw.pop("poolclass", None)
    try:
        p = sa.create_engine("postgresql://u@h/db", **kw).pool
        r = {"ok": True, "pool": type(p).__name__}
        if hasattr(p, "_max_overflow"):
            r.update(size=p.size(), overflow=p._max_overflow, timeout=p._timeout)
        r.update(pre_ping=bool(p._pre_ping), recycle=p._recycle)
        out.append(r)
    except TypeError as e:
        out.append({"ok": False, "error": str(e)})
json.dump(out, sys.stdout)
`;

const CASES = [
  "{}",
  '{"pool_size": 5}',
  '{"max_overflow": 0}',
  '{"pool_size": 20, "max_overflow": 30, "pool_timeout": 30, "pool_pre_ping": true, "pool_recycle": 1800, "echo": false}',
  '{"pool_size": 1, "pool_recycle": 60}',
  '{"pool_pre_ping": true}',
  '{"pool_timeout": 2.5, "max_overflow": -1}',
  '{"poolsize": 5}',
  '{"pool-size": 5}',
  '{"max_overflows": 5}',
  '{"timeout": 5}',
  '{"pre_ping": true}',
  '{"recycle": 5}',
  '{"poolclass": "NullPool"}',
  '{"poolclass": "NullPool", "pool_size": 5}',
  '{"poolclass": "NullPool", "pool_timeout": 5}',
  '{"poolclass": "NullPool", "pool_pre_ping": true, "pool_recycle": 5}',
  '{"poolclass": "QueuePool", "pool_size": 3, "max_overflow": 4}',
  '{"poolclass": "NoSuchPool", "pool_size": 3}',
  '{"pool_size": "5"}',
];

describe.skipIf(!available)("SQLAlchemy create_engine agrees with the pool model", () => {
  const r = spawnSync(PYTHON, ["-c", PY], { input: JSON.stringify(CASES), encoding: "utf8" });
  const results = available
    ? (JSON.parse(r.stdout) as Array<{
        ok: boolean;
        pool?: string;
        size?: number;
        overflow?: number;
        timeout?: number;
        pre_ping?: boolean;
        recycle?: number;
        error?: string;
      }>)
    : [];
  CASES.forEach((json, i) => {
    it(json, () => {
      const real = results[i];
      const model = readPoolSettings({}, { SKILLFLAW_DB_CONNECTION_SETTINGS: json });
      const findings = runRule(poolSettings, { ops: opsFacts({ pool: model }) });
      const typeError = findings.some((f) => f.code === "ops.pool-key-misspelled");
      const stringSize = findings.some((f) => f.code === "ops.pool-value-type" && f.message.includes("TypeError"));
      if (!real?.ok) {
        expect(typeError || stringSize, `SQLAlchemy: ${real?.error}`).toBe(true);
        if (real?.error?.startsWith("Invalid argument(s)"))
          for (const f of findings.filter((x) => x.code === "ops.pool-key-misspelled"))
            expect(f.message).toContain("Invalid argument(s)");
        return;
      }
      expect(typeError || stringSize, "the model predicts a TypeError SQLAlchemy does not raise").toBe(false);
      expect(model.poolclass ?? "QueuePool").toBe(real.pool);
      expect(model.poolPrePing).toBe(real.pre_ping);
      expect(model.poolRecycle).toBe(real.recycle);
      if (real.pool === "NullPool") {
        expect(model.perProcess).toBeNull();
        return;
      }
      expect(model.poolSize).toBe(real.size);
      expect(model.maxOverflow).toBe(real.overflow);
      expect(model.poolTimeout).toBe(real.timeout);
      expect(model.perProcess).toBe((real.overflow ?? 0) < 0 ? null : (real.size ?? 0) + (real.overflow ?? 0));
    });
  });
});
