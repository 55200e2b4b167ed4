// An enumerated parameter (sslmode, gssencmode, ...) holds a value libpq does not accept; libpq compares exactly.
import { defineRule } from "../rule.js";

export default defineRule({
  id: "conninfo/invalid-value",
  family: "conninfo",
  codes: {
    "conninfo.invalid-value": {
      severity: "error",
      title: "Invalid parameter value",
      description:
        "libpq checks enumerated values (sslmode, sslnegotiation, gssencmode, channel_binding, target_session_attrs, ...) exactly and case-sensitively when it starts connecting, before any network traffic.",
      hint: "Use one of the values libpq accepts, spelled exactly.",
    },
  },
  check({ conninfo }, { report }) {
    for (const e of conninfo?.errors ?? []) {
      const v = e.enumValue;
      if (e.stage !== "options" || v === undefined || e.keyword === undefined) continue;
      const kw = e.keyword;
      const allowed = v.accepted.join(", ");
      report("conninfo.invalid-value", kw, `${e.message}.`, {
        hint: v.closest
          ? `Did you mean ${kw}=${v.closest}? libpq accepts exactly: ${allowed}.`
          : `libpq accepts exactly: ${allowed}.`,
        evidence: v.closest ? { keyword: kw, suggestion: v.closest } : { keyword: kw },
      });
    }
  },
});
