import type { CodeSpec } from "../rule.js";

/** Findings about where the connection string comes from. */
export const INPUT_FINDINGS = {
  "input.no-connection-string": {
    severity: "error",
    title: "No connection string found",
    description:
      "dbdoctor found no connection string in the argument, the --env-file files or the environment. SkillFlaw itself would silently fall back to its SQLite database.",
    hint: "Pass the connection string as an argument, or point --env-file at the .env file SkillFlaw loads.",
  },
} satisfies Record<string, CodeSpec>;
