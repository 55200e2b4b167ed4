import rule from "../../../../src/rules/env/driver-settings.js";
import { fromEnvFile, stageFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

const withSettings = (json: string) => {
  const input = fromEnvFile("postgresql://u@h/db");
  input.fileVars.SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS = { value: json, file: ".env", line: 2 };
  return stageFacts(input);
};

describeRule(rule, [
  {
    name: "not a JSON object",
    facts: withSettings("[1, 2]"),
    expect: [{ code: "env.driver-settings-invalid", message: "(.env:2) is not a JSON object" }],
  },
  {
    name: "replaces SkillFlaw's connect_args without the timezone option",
    facts: withSettings('{"sslmode": "verify-full"}'),
    expect: [{ code: "env.driver-settings-replace", message: 'options "-c timezone=utc" is not sent' }],
  },
  {
    name: "silent when it repeats the timezone option",
    facts: withSettings('{"options": "-c timezone=utc"}'),
    expect: [],
  },
  { name: "silent when unset", facts: stageFacts(fromEnvFile("postgresql://u@h/db")), expect: [] },
]);
