// allow and prefer settle silently for plaintext: a session that works is not necessarily an encrypted one.
import { defineRule } from "../rule.js";
import { fixFor } from "./fix.js";

export default defineRule({
  id: "modes/unencrypted-session",
  family: "modes",
  codes: {
    "session.unencrypted": {
      severity: "warning",
      title: "The configured sslmode ends up unencrypted",
      description:
        "Under allow or prefer libpq silently settles for a plaintext session when SSL does not work (or, for allow, when plaintext is accepted first). The application's traffic, password exchange included, crosses the network in the clear.",
      hint: "Fix the SSL problem shown for the stronger modes and set sslmode=verify-full.",
    },
  },
  check({ modes }, { report }) {
    const configured = modes?.results.find((m) => m.sslmode === modes.configuredMode);
    if (!modes || configured?.ok !== true || configured.encrypted !== false || configured.sslmode === "disable") return;
    const ssl = modes.results.find((m) => m.sslmode === "require");
    const why = ssl?.ok === false && ssl.message ? `: SSL fails (${ssl.message.split("\n")[0]})` : "";
    report(
      "session.unencrypted",
      `sslmode=${configured.sslmode}`,
      `sslmode=${configured.sslmode} connects, but without encryption${why}`,
      ssl?.ok === false ? { hint: `${fixFor(ssl.code, modes.target)} Then set sslmode=verify-full.` } : {},
    );
  },
});
