// Says where --auth-probe kept the password back, so an undecided mode is never read as a pass.
import { defineRule } from "../rule.js";

export default defineRule({
  id: "modes/credentials-withheld",
  family: "modes",
  codes: {
    "session.credentials-withheld": {
      severity: "info",
      title: "The password was not sent for some sslmodes",
      description:
        "Under --auth-probe safe dbdoctor sends the password only under the configured sslmode or over a channel whose certificate it has verified. Other modes stop at the server's password request, which already tells that pg_hba.conf accepts that kind of connection. Use --auth-probe all only against servers you own, such as a lab.",
    },
  },
  check({ modes }, { report }) {
    if (!modes || modes.withheld.length === 0) return;
    const list = modes.withheld.join(", ");
    report(
      "session.credentials-withheld",
      list,
      `The password was not sent under sslmode ${list} (--auth-probe ${modes.authProbe})`,
    );
  },
});
