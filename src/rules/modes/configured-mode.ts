// Does the sslmode the application uses establish a session? The matrix decided; this says so with libpq's message
// and the one change that fixes it.
import { defineRule } from "../rule.js";
import { fixFor } from "./fix.js";

export default defineRule({
  id: "modes/configured-mode",
  family: "modes",
  codes: {
    "session.configured-mode-fails": {
      severity: "error",
      title: "The configured sslmode cannot establish a session",
      description:
        "libpq, with exactly these settings, would fail to connect: the application (SkillFlaw, psql, psycopg) cannot reach its database. The message is libpq's, the hint says what to change.",
      hint: "Apply the fix in the message; the sslmode matrix shows which modes do work.",
    },
    "session.configured-mode-undecided": {
      severity: "warning",
      title: "Whether the configured sslmode works could not be decided",
      description:
        "The attempt under the configured sslmode ended before a verdict (the password was withheld by --auth-probe, or GSSAPI was required). A check that could not run is not a pass.",
      hint: "Run again with --auth-probe safe (the default) or all, in a lab, to let dbdoctor authenticate.",
    },
  },
  check({ modes }, { report }) {
    if (!modes?.configuredMode) return;
    const configured = modes.results.find((m) => m.sslmode === modes.configuredMode);
    if (!configured) return;
    const subject = `sslmode=${configured.sslmode}`;
    if (configured.ok === false) {
      const best = [...modes.results].reverse().find((m) => m.ok === true);
      // Never "no sslmode works" while a mode is undecided: name the candidate the policy did not authenticate.
      const open = [...modes.results].reverse().find((m) => m.ok === null);
      const alt = best
        ? ` (sslmode=${best.sslmode} would work)`
        : open
          ? ` (sslmode=${open.sslmode} reached the password prompt; its password was not sent, so whether it works is undecided)`
          : " (no sslmode works)";
      report(
        "session.configured-mode-fails",
        subject,
        `libpq would fail under sslmode=${configured.sslmode}${alt}: ${configured.message ?? configured.code ?? "unknown error"}`,
        {
          hint: fixFor(configured.code, modes.target),
          evidence: { stage: configured.stage, cause: configured.code ?? null },
          ...(modes.fix ? { fix: modes.fix } : {}),
        },
      );
    } else if (configured.ok === null) {
      report("session.configured-mode-undecided", subject, configured.message ?? "could not be decided");
    }
  },
});
