import rule from "../../../../src/rules/env/dotenv-disabled.js";
import { fromEnvFile, stageFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "PYTHON_DOTENV_DISABLED makes SkillFlaw skip the files",
    facts: stageFacts(fromEnvFile("postgresql://h/db", "SKILLFLAW_DATABASE_URL", { dotenvDisabled: "true" })),
    expect: [{ code: "env.dotenv-disabled", message: "PYTHON_DOTENV_DISABLED=true makes load_dotenv() skip" }],
  },
  { name: "silent otherwise", facts: stageFacts(fromEnvFile("postgresql://h/db")), expect: [] },
]);
