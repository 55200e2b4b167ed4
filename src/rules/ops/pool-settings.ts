// SKILLFLAW_DB_CONNECTION_SETTINGS as SkillFlaw's settings code and SQLAlchemy's create_engine meet it
// (skillflaw.md §2): JSON that is no dict stops start-up, a partial dict replaces the defaults, wrong types and
// unknown keys break the engine, an unknown poolclass falls back to the default pool.
import { SKILLFLAW_POOL_DEFAULTS, SQLALCHEMY_POOL_DEFAULTS } from "../../ops/pool.js";
import type { PoolKey } from "../../ops/types.js";
import { defineRule } from "../rule.js";
import { at, skillflawOps, where } from "./target.js";

/** pydantic's message for a dict field that is not a JSON object (pydantic-settings 2.x, skillflaw.md §2). */
const DICT_TYPE = "Input should be a valid dictionary [type=dict_type]";

const INVALID_WHY = {
  empty: "is empty",
  "single-quoted": "uses single quotes inside the JSON, which JSON does not allow",
  "not-json": "is not valid JSON",
  "not-object": "is JSON but not an object",
} as const;

/** SQLAlchemy's QueuePool defaults, which the keys a set JSON leaves out take. */
const SQLALCHEMY_DEFAULT_TEXT = {
  pool_size: "5",
  max_overflow: "10",
  pool_timeout: "30",
  pool_pre_ping: "false",
  pool_recycle: "-1 (never)",
} as const;

/**
 * The user's object with the missing keys added, never a value of theirs replaced. A missing size (pool_size,
 * max_overflow) is written as the SQLAlchemy default it has now, so the fix changes no connection count the
 * capacity rule measured; the other keys get SkillFlaw's defaults (pre-ping and recycling the user lost).
 */
export function completedSettings(
  given: Record<string, unknown>,
  missing: readonly PoolKey[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...given };
  for (const k of missing)
    out[k] = k === "pool_size" || k === "max_overflow" ? SQLALCHEMY_POOL_DEFAULTS[k] : SKILLFLAW_POOL_DEFAULTS[k];
  return out;
}

export default defineRule({
  id: "ops/pool-settings",
  family: "ops",
  codes: {
    "ops.pool-settings-invalid": {
      severity: "error",
      title: "SKILLFLAW_DB_CONNECTION_SETTINGS is not a JSON object",
      description:
        "SkillFlaw's settings (pydantic-settings) parse SKILLFLAW_DB_CONNECTION_SETTINGS as JSON into a dict. Invalid JSON, single-quoted keys or an empty value stop startup with a ValidationError (Input should be a valid dictionary [type=dict_type]); JSON null passes validation and then breaks the engine set-up.",
      hint: 'Write a JSON object with double quotes, e.g. SKILLFLAW_DB_CONNECTION_SETTINGS=\'{"pool_size": 20, "max_overflow": 30}\' (single quotes around it in .env), or delete the line for the defaults.',
    },
    "ops.pool-settings-partial": {
      severity: "warning",
      title: "SKILLFLAW_DB_CONNECTION_SETTINGS replaces the defaults instead of merging",
      description:
        "A set SKILLFLAW_DB_CONNECTION_SETTINGS replaces SkillFlaw's whole default dict (20/30/30/true/1800). Keys it leaves out fall back to SQLAlchemy's QueuePool defaults: pool_size 5, max_overflow 10, pool_timeout 30, pool_pre_ping false, pool_recycle -1 (never).",
      hint: 'List every key: {"pool_size": 20, "max_overflow": 30, "pool_timeout": 30, "pool_pre_ping": true, "pool_recycle": 1800}.',
    },
    "ops.pool-value-type": {
      severity: "warning",
      title: "A pool setting has the wrong type",
      description:
        'The JSON values go unchanged to SQLAlchemy\'s create_async_engine: pool_size, max_overflow and pool_recycle must be integers, pool_timeout a number and pool_pre_ping a boolean. A string such as "20" is not converted and breaks the pool at the first connection.',
      hint: 'Write numbers and booleans without quotes: {"pool_size": 20, "pool_pre_ping": true}.',
    },
    "ops.pool-key-misspelled": {
      severity: "error",
      title: "A key in SKILLFLAW_DB_CONNECTION_SETTINGS is not a create_engine argument",
      description:
        "SQLAlchemy's create_engine raises TypeError (Invalid argument(s) ... sent to create_engine()) for a keyword it does not know, so a misspelled pool key stops SkillFlaw at startup.",
      hint: "Use SQLAlchemy's names: pool_size, max_overflow, pool_timeout, pool_pre_ping, pool_recycle.",
    },
    "ops.pool-poolclass-invalid": {
      severity: "warning",
      title: "poolclass names no SQLAlchemy pool",
      description:
        "SkillFlaw looks the poolclass value up on sqlalchemy.pool; an unknown name is logged as an error and the default pool is used instead.",
      hint: 'Use a class of sqlalchemy.pool (e.g. "NullPool", "AsyncAdaptedQueuePool") or remove the key.',
    },
  },
  check(facts, { report }) {
    const ops = skillflawOps(facts);
    if (!ops) return;
    for (const p of ops.pool.problems) {
      switch (p.kind) {
        case "json-invalid": {
          const message =
            p.reason === "null"
              ? `${p.variable}${where(p.location)} is null: pydantic accepts it (the field is dict | None), then SkillFlaw's engine set-up calls .copy() on None and fails.`
              : `${p.variable}${where(p.location)} ${INVALID_WHY[p.reason]}: SkillFlaw stops at startup with "db_connection_settings: ${DICT_TYPE}".`;
          report("ops.pool-settings-invalid", p.variable, message, {
            ...(p.reason === "single-quoted"
              ? {
                  hint: `Use double quotes inside the JSON and single quotes around it in .env: ${p.variable}='{"pool_size": 20, "max_overflow": 30}'.`,
                }
              : {}),
            evidence: { reason: p.reason },
            ...at(p.location),
          });
          break;
        }
        case "json-partial": {
          const added = completedSettings({}, p.missing);
          const fixed = p.given ? completedSettings(p.given, p.missing) : null;
          const json = (o: Record<string, unknown>) => JSON.stringify(o).replace(/,"/g, ', "').replace(/":/g, '": ');
          report(
            "ops.pool-settings-partial",
            p.variable,
            `${p.variable}${where(p.location)} replaces SkillFlaw's whole default dict, so the keys it leaves out take SQLAlchemy's defaults: ${p.missing.map((k) => `${k} ${SQLALCHEMY_DEFAULT_TEXT[k]}`).join(", ")}.`,
            {
              hint: fixed
                ? `Keep your values and add the missing keys: ${p.variable}='${json(fixed)}'.`
                : `Keep your values and add the missing keys to the object: ${json(added).slice(1, -1)}.`,
              evidence: { missing: p.missing },
              ...(fixed
                ? { fix: { setting: p.variable, value: `${p.variable}='${json(fixed)}'`, verified: false } }
                : {}),
              ...at(p.location),
            },
          );
          break;
        }
        case "json-type":
          report(
            "ops.pool-value-type",
            `${p.variable}.${p.key}`,
            `${p.key} in ${p.variable}${where(p.location)} is ${p.got}, not ${p.expected === "integer" ? "an integer" : `a ${p.expected}`}: ${
              p.key === "pool_size" && p.got.startsWith("string")
                ? "SQLAlchemy's QueuePool raises TypeError (unsupported operand type(s) for -: 'int' and 'str') when the engine is created, so SkillFlaw does not start."
                : "SQLAlchemy takes it unchanged, and the pool misbehaves or fails once it is used."
            }`,
            { evidence: { key: p.key, expected: p.expected, got: p.got }, ...at(p.location) },
          );
          break;
        case "json-misspelled":
          report(
            "ops.pool-key-misspelled",
            `${p.variable}.${p.key}`,
            `"${p.key}" in ${p.variable}${where(p.location)} is not a create_engine argument (did you mean "${p.suggestion}"?): SQLAlchemy raises TypeError: Invalid argument(s) '${p.key}' sent to create_engine(), and SkillFlaw does not start.`,
            {
              hint: `Rename "${p.key}" to "${p.suggestion}".`,
              evidence: { key: p.key, suggestion: p.suggestion },
              ...at(p.location),
            },
          );
          break;
        case "nullpool-args":
          report(
            "ops.pool-key-misspelled",
            `${p.variable}.poolclass`,
            `${p.variable}${where(p.location)} sets poolclass NullPool together with ${p.keys.join(", ")}, which NullPool does not take: SQLAlchemy raises TypeError: Invalid argument(s) ... sent to create_engine(), using configuration .../NullPool/Engine.`,
            {
              hint: `Remove ${p.keys.join(", ")} when you use NullPool.`,
              evidence: { keys: p.keys },
              ...at(p.location),
            },
          );
          break;
        case "poolclass-invalid":
          report(
            "ops.pool-poolclass-invalid",
            `${p.variable}.poolclass`,
            `poolclass "${p.poolclass}" in ${p.variable}${where(p.location)} is no class of sqlalchemy.pool: SkillFlaw logs "Invalid poolclass '${p.poolclass}' specified. Using default pool class." and uses the default pool.`,
            { evidence: { poolclass: p.poolclass }, ...at(p.location) },
          );
          break;
      }
    }
  },
});
