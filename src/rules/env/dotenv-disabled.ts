// python-dotenv's _load_dotenv_disabled(): with PYTHON_DOTENV_DISABLED true, load_dotenv() reads nothing.
import { defineRule } from "../rule.js";

export default defineRule({
  id: "env/dotenv-disabled",
  family: "env",
  codes: {
    "env.dotenv-disabled": {
      severity: "warning",
      title: "PYTHON_DOTENV_DISABLED is set",
      description:
        "With PYTHON_DOTENV_DISABLED set to a true value, load_dotenv() returns without reading anything, so SkillFlaw ignores --env-file.",
      hint: "Unset PYTHON_DOTENV_DISABLED in SkillFlaw's environment, or set the variables in the environment itself.",
    },
  },
  check({ input }, { report }) {
    if (input?.dotenvDisabled === undefined) return;
    report(
      "env.dotenv-disabled",
      "PYTHON_DOTENV_DISABLED",
      `PYTHON_DOTENV_DISABLED=${input.dotenvDisabled} makes load_dotenv() skip the env files, so SkillFlaw would not see their values; dbdoctor ignored them too.`,
    );
  },
});
