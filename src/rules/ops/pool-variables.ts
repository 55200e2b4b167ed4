// The pool variables beside the JSON: the deprecated SKILLFLAW_POOL_SIZE / SKILLFLAW_MAX_OVERFLOW (still applied,
// over the JSON), integers pydantic cannot parse (start-up stops), and the names some docs use that nothing reads.
import { defineRule } from "../rule.js";
import { at, skillflawOps, where } from "./target.js";

/** pydantic's message for an integer field given text (pydantic 2.x, skillflaw.md §2). */
const INT_PARSING = "Input should be a valid integer, unable to parse string as an integer [type=int_parsing]";

export default defineRule({
  id: "ops/pool-variables",
  family: "ops",
  codes: {
    "ops.pool-deprecated-variable": {
      severity: "warning",
      title: "Deprecated SKILLFLAW_POOL_SIZE / SKILLFLAW_MAX_OVERFLOW",
      description:
        "SKILLFLAW_POOL_SIZE and SKILLFLAW_MAX_OVERFLOW still work: when set, they override the same key of SKILLFLAW_DB_CONNECTION_SETTINGS, and SkillFlaw logs \"pool_size is deprecated. Use db_connection_settings['pool_size'] instead.\"",
      hint: "Move the value into SKILLFLAW_DB_CONNECTION_SETTINGS and delete the variable.",
    },
    "ops.pool-deprecated-invalid": {
      severity: "error",
      title: "SKILLFLAW_POOL_SIZE / SKILLFLAW_MAX_OVERFLOW / SKILLFLAW_WORKERS is not an integer",
      description:
        'These settings are integers; an empty value (KEY= in .env) or text stops SkillFlaw at startup with pydantic\'s "Input should be a valid integer, unable to parse string as an integer".',
      hint: "Give the variable an integer value, or delete the line.",
    },
    "ops.pool-doc-variable-ignored": {
      severity: "warning",
      title: "SKILLFLAW_DB_POOL_SIZE / SKILLFLAW_DB_MAX_OVERFLOW are ignored",
      description:
        'Some documentation names SKILLFLAW_DB_POOL_SIZE and SKILLFLAW_DB_MAX_OVERFLOW, but no settings field has those names and the settings class ignores unknown variables (extra="ignore"): the value has no effect.',
      hint: 'Set the pool in SKILLFLAW_DB_CONNECTION_SETTINGS, e.g. \'{"pool_size": 10, "max_overflow": 20, ...}\'.',
    },
  },
  check(facts, { report }) {
    const ops = skillflawOps(facts);
    if (!ops) return;
    for (const p of ops.pool.problems) {
      switch (p.kind) {
        case "deprecated": {
          const value = p.value.trim();
          const over =
            p.overridden !== null
              ? `; it overrides ${p.field} ${p.overridden} from SKILLFLAW_DB_CONNECTION_SETTINGS`
              : "";
          report(
            "ops.pool-deprecated-variable",
            p.variable,
            `${p.variable}=${value}${where(p.location)} is deprecated but still applied${over}; SkillFlaw logs "${p.field} is deprecated. Use db_connection_settings['${p.field}'] instead."`,
            {
              hint: `Put "${p.field}": ${value} into SKILLFLAW_DB_CONNECTION_SETTINGS and delete ${p.variable}.`,
              evidence: { field: p.field },
              ...at(p.location),
            },
          );
          break;
        }
        case "integer-invalid":
          report(
            "ops.pool-deprecated-invalid",
            p.variable,
            `${p.variable}${where(p.location)} is ${p.value.trim() === "" ? "empty" : `"${p.value}"`}, not an integer: SkillFlaw stops at startup with "${p.field}: ${INT_PARSING}".`,
            { evidence: { field: p.field }, ...at(p.location) },
          );
          break;
        case "doc-variable":
          report(
            "ops.pool-doc-variable-ignored",
            p.variable,
            `${p.variable}${where(p.location)} matches no SkillFlaw setting and is silently ignored; the pool is set by SKILLFLAW_DB_CONNECTION_SETTINGS (or the deprecated ${p.variable.replace("_DB_", "_")}).`,
            at(p.location),
          );
          break;
      }
    }
  },
});
