import rule from "../../../../src/rules/url/options-overridden.js";
import { fromEnvFile, stageFacts } from "../../../helpers/conninfo.js";
import { describeRule } from "../../../helpers/rules.js";

describeRule(rule, [
  {
    name: "options= in the URL is replaced by SkillFlaw's connect_args",
    facts: stageFacts(fromEnvFile("postgresql://u@db/app?options=-c%20search_path%3Dx")),
    expect: [{ code: "url.options-overridden", subject: "options", message: "timezone=utc" }],
  },
  {
    name: "silent when the driver settings replace connect_args without options",
    facts: stageFacts(
      fromEnvFile("postgresql://u@db/app?options=-c%20search_path%3Dx", "SKILLFLAW_DATABASE_URL", {
        fileVars: {
          SKILLFLAW_DATABASE_URL: {
            value: "postgresql://u@db/app?options=-c%20search_path%3Dx",
            file: ".env",
            line: 3,
          },
          SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS: { value: '{"sslmode": "require"}', file: ".env", line: 4 },
        },
      }),
    ),
    expect: [],
  },
  { name: "silent without options=", facts: stageFacts(fromEnvFile("postgresql://u@db/app")), expect: [] },
]);
