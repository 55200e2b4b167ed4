// SkillFlaw's database_url validator reads os.getenv("SKILLFLAW_DATABASE_URL") with exact case: a value under a
// differently-cased name (or one with a byte-order mark glued to it) never reaches it.
import { defineRule } from "../rule.js";
import { inputLocation } from "../where.js";

export default defineRule({
  id: "env/lowercase-variable",
  family: "env",
  codes: {
    "env.lowercase-variable": {
      severity: "error",
      title: "Variable name in the wrong case",
      description:
        "pydantic matches SkillFlaw's variables case-insensitively, but the database_url validator reads os.getenv('SKILLFLAW_DATABASE_URL') with exact case, so on Linux a differently-cased name is replaced by the SQLite default.",
      hint: "Rename the variable to exactly SKILLFLAW_DATABASE_URL.",
    },
  },
  check({ input }, { report }) {
    const wanted = input?.variable;
    const src = input?.source;
    if (wanted === undefined || (src?.kind !== "env" && src?.kind !== "env-file")) return;
    const got = src.variable;
    if (got === wanted || got.replace(/^\ufeff/, "") === wanted) return;
    report(
      "env.lowercase-variable",
      got,
      `The connection string is in ${got}, not ${wanted}: SkillFlaw's validator reads ${wanted} with exact case, so on Linux it ignores this value and silently uses its SQLite database.`,
      { hint: `Rename ${got} to ${wanted}.`, ...inputLocation(src) },
    );
  },
});
