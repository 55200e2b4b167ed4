// libpq checks the server certificate against host, never hostaddr (fe-secure-common.c): verify-full with a bare
// hostaddr fails before the handshake.
import { defineRule } from "../rule.js";
import { sslOverTcp } from "./sslmode.js";

export default defineRule({
  id: "conninfo/hostaddr-without-host",
  family: "conninfo",
  codes: {
    "sslmode.hostaddr-without-host": {
      severity: "error",
      title: "verify-full with hostaddr but no host name",
      description:
        "libpq checks the server certificate against `host`, never `hostaddr`. With only hostaddr set, verify-full fails with `host name must be specified for a verified SSL connection`.",
      hint: "Add host=<the name in the server certificate> next to hostaddr.",
    },
  },
  check({ conninfo }, { report }) {
    const s = sslOverTcp(conninfo);
    if (s?.mode !== "verify-full") return;
    const bare = s.tcp.filter((h) => h.hostaddr !== undefined && h.hostaddr !== "" && h.host === "");
    if (bare.length === 0) return;
    report(
      "sslmode.hostaddr-without-host",
      "hostaddr",
      `hostaddr=${bare.map((h) => h.hostaddr).join(",")} has no host name next to it; libpq checks the certificate against host, so verify-full fails with "host name must be specified for a verified SSL connection".`,
      {
        hint: `Add host=<the name in the server certificate>, e.g. host=db.example.com hostaddr=${bare[0]?.hostaddr}.`,
      },
    );
  },
});
