// SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS is a JSON dictionary that replaces SkillFlaw's connect_args as a whole.
import { defineRule } from "../rule.js";
import { originOf } from "../where.js";

export default defineRule({
  id: "env/driver-settings",
  family: "env",
  codes: {
    "env.driver-settings-invalid": {
      severity: "error",
      title: "SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS is not a JSON object",
      description:
        'pydantic reads SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS as a JSON dictionary; anything else stops start-up with "Input should be a valid dictionary".',
      hint: 'Give it a JSON object, e.g. {"options": "-c timezone=utc"}, or unset it.',
    },
    "env.driver-settings-replace": {
      severity: "info",
      title: "Driver connection settings replace SkillFlaw's defaults",
      description:
        "SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS replaces connect_args as a whole, so SkillFlaw's default {'options': '-c timezone=utc'} is not sent unless it is repeated there.",
      hint: 'Include "options": "-c timezone=utc" in the JSON object.',
    },
  },
  check({ env, conninfo }, { report }) {
    const ds = env?.driverSettings;
    if (!ds) return;
    const { where, location } = originOf(ds);
    const loc = location ? { location } : {};
    if (!ds.jsonObject) {
      report(
        "env.driver-settings-invalid",
        ds.variable,
        `${ds.variable} (${where}) is not a JSON object; pydantic stops SkillFlaw at start-up with "Input should be a valid dictionary".`,
        loc,
      );
      return;
    }
    const options = conninfo?.effective.options;
    if (options?.source === "application" && /timezone=utc/.test(options.value)) return;
    report(
      "env.driver-settings-replace",
      ds.variable,
      `${ds.variable} (${where}) replaces SkillFlaw's connect_args, so its default options "-c timezone=utc" is not sent.`,
      loc,
    );
  },
});
