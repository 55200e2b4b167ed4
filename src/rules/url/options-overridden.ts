// create_engine lets connect_args override the URL's query, and SkillFlaw always passes options=-c timezone=utc.
import { defineRule } from "../rule.js";
import { inputLocation } from "../where.js";

export default defineRule({
  id: "url/options-overridden",
  family: "url",
  codes: {
    "url.options-overridden": {
      severity: "info",
      title: "URL options replaced by SkillFlaw's connect_args",
      description:
        "SkillFlaw passes connect_args={'options': '-c timezone=utc'} to SQLAlchemy, and create_engine lets connect_args override the URL's query, so an 'options' parameter in the URL never reaches the server.",
      hint: "Set the server parameters another way (ALTER ROLE ... SET, or SKILLFLAW_DB_DRIVER_CONNECTION_SETTINGS, which replaces connect_args as a whole).",
    },
  },
  check({ url, input }, { report }) {
    if (!url?.sqlalchemy?.urlOptionsReplaced) return;
    report(
      "url.options-overridden",
      "options",
      "The URL's options= parameter never reaches the server: SkillFlaw's connect_args {'options': '-c timezone=utc'} replace it.",
      inputLocation(input?.source),
    );
  },
});
