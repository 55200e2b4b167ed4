// Nothing to diagnose: no connection string was found, or the one found is empty. SkillFlaw itself would silently
// fall back to its SQLite database; dbdoctor stops with exit 2 and this finding's words (DESIGN.md, check).
import { defineRule } from "../rule.js";

const DEFAULT_VARIABLE = "SKILLFLAW_DATABASE_URL";

export default defineRule({
  id: "input/no-connection-string",
  family: "input",
  codes: {
    "input.no-connection-string": {
      severity: "error",
      title: "No connection string found",
      description:
        "dbdoctor found no connection string in the argument, the --env-file files or the environment, or the one it found is empty. SkillFlaw itself would silently fall back to its SQLite database.",
      hint: "Pass the connection string as an argument, or point --env-file at the .env file SkillFlaw loads.",
    },
  },
  check({ input }, { report }) {
    if (!input || input.value === "present") return;
    const looked = input.lookedAt.join(", then ");
    if (input.value === "missing") {
      report("input.no-connection-string", "connection string", `no connection string found: looked for ${looked}`, {
        hint: `Pass the connection string as an argument, or point --env-file at the .env file SkillFlaw loads (SkillFlaw itself would silently fall back to its SQLite database).${input.variable !== undefined && input.variable !== DEFAULT_VARIABLE ? "" : " Use --var NAME for another variable."}`,
      });
      return;
    }
    const src = input.source;
    const where =
      src.kind === "env-file"
        ? `${src.variable} is empty in ${src.file}:${src.line}`
        : src.kind === "env"
          ? `${src.variable} is empty in the environment`
          : "the connection string argument is empty";
    report("input.no-connection-string", "connection string", `no connection string: ${where} (looked for ${looked})`, {
      hint: "SkillFlaw treats an empty value as unset and silently falls back to its SQLite database; set the variable to a postgresql:// URL.",
      ...(src.kind === "env-file" ? { location: { file: src.file, line: src.line } } : {}),
    });
  },
});
