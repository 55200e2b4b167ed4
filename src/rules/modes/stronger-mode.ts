// The configured mode works, and a mode that protects more works too: nothing stops the user from taking it.
import { SSL_MODES } from "../../model/sslmode.js";
import { defineRule } from "../rule.js";

export default defineRule({
  id: "modes/stronger-mode",
  family: "modes",
  codes: {
    "session.stronger-mode-works": {
      severity: "warning",
      title: "A stronger sslmode would also work",
      description:
        "The configured sslmode works, but a mode that protects more (verify-full checks both the CA and the host name) also establishes a session with the same settings. Nothing stops you from using it.",
      hint: "Switch to the strongest mode that works, normally sslmode=verify-full.",
    },
  },
  check({ modes }, { report }) {
    const configured = modes?.results.find((m) => m.sslmode === modes.configuredMode);
    if (!modes || configured?.ok !== true) return;
    const best = [...modes.results].reverse().find((m) => m.ok === true);
    // allow and prefer never beat another mode: they protect nothing an attacker cannot strip.
    if (!best || best.sslmode === "allow" || best.sslmode === "prefer") return;
    if (SSL_MODES.indexOf(best.sslmode) <= SSL_MODES.indexOf(configured.sslmode)) return;
    report(
      "session.stronger-mode-works",
      `sslmode=${configured.sslmode}`,
      `sslmode=${configured.sslmode} works, and so does the stronger sslmode=${best.sslmode}`,
      {
        hint: `Set sslmode=${best.sslmode}${best.sslmode === "verify-full" ? "" : " (verify-full fails: see the matrix)"}.`,
      },
    );
  },
});
