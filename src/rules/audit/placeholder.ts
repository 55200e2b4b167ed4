// Parts of a stored setting that are placeholders (${PGSSLMODE}, {{ .Values.db.host }}, a Secret reference): their
// values are set where the setting is deployed, so the audit reports them as unknown instead of judging a guess.
// Only the parts a judgment depends on are named (where it connects, how it protects the connection, which CA);
// a password from a placeholder is how it should be.
import { defineRule } from "../rule.js";
import { settingWhere } from "./review.js";

const JUDGED = ["host", "hostaddr", "port", "sslmode", "sslrootcert", "sslcert", "sslkey"] as const;

export default defineRule({
  id: "audit/placeholder",
  family: "audit",
  codes: {
    "audit.placeholder": {
      severity: "info",
      title: "Part of the setting is a placeholder",
      description:
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder syntaxes, as text
        "The host, sslmode or a certificate file of a stored setting is a placeholder (${VAR}, $(VAR), {{ .Values.x }}, %(x)s) or comes from a Secret: its value is set where the setting is deployed. The audit reads the rest of the setting and leaves these parts unknown; check them in the deployed environment (dbdoctor check there).",
      hint: "Run `dbdoctor check` where the setting is deployed, or give the audit the rendered configuration (helm template, docker compose config).",
      supersedes: ["sslmode.default-prefer"],
    },
  },
  check({ audit }, { report }) {
    const s = audit?.setting;
    if (!s) return;
    const unknown = JUDGED.filter((k) => s.placeholders[k] !== undefined);
    if (unknown.length === 0) return;
    const list = unknown.map((k) => `${k} is ${s.placeholders[k]}`).join(", ");
    report(
      "audit.placeholder",
      unknown.join(", "),
      `${settingWhere(s)}: ${list}; the audit cannot judge ${unknown.length === 1 ? "it" : "them"} (checked where the setting is deployed).`,
      { evidence: { parameters: [...unknown] } },
    );
  },
});
