// sslnegotiation (direct TLS, ALPN "postgresql") arrived in libpq 17: an older libpq rejects it in the string and
// silently ignores PGSSLNEGOTIATION.
import { defineRule } from "../rule.js";
import { sslOverTcp } from "./sslmode.js";

const SINCE = 17;

export default defineRule({
  id: "conninfo/negotiation-too-old",
  family: "conninfo",
  codes: {
    "sslmode.negotiation-too-old": {
      severity: "error",
      title: "sslnegotiation needs libpq 17",
      description:
        "Direct TLS negotiation (sslnegotiation=direct, ALPN postgresql) arrived in libpq 17. An older libpq rejects the parameter in a connection string, and silently ignores PGSSLNEGOTIATION (reported as a warning: it connects with the default negotiation).",
      hint: "Upgrade the client's libpq to 17+, or remove sslnegotiation (the default postgres negotiation works with every server).",
    },
  },
  check({ conninfo }, { report }) {
    if (!conninfo || conninfo.major >= SINCE) return;
    const major = conninfo.major;
    const rejected = conninfo.errors.find((e) => e.stage === "parse" && e.keyword === "sslnegotiation");
    if (rejected) {
      report(
        "sslmode.negotiation-too-old",
        "sslnegotiation",
        `libpq ${major} rejects sslnegotiation (${rejected.message}): direct TLS negotiation arrived in libpq ${SINCE}.`,
      );
      return;
    }
    // An older libpq has no PGSSLNEGOTIATION: it never reaches the effective values, so the stage lists it apart.
    const ignored = conninfo.unreadEnv.find((v) => v.keyword === "sslnegotiation");
    if (!ignored || !sslOverTcp(conninfo)) return;
    const where = ignored.file !== undefined ? ` (${ignored.file}:${ignored.line})` : "";
    // libpq connects anyway, with the default negotiation: what was asked for does not happen, nothing fails.
    report(
      "sslmode.negotiation-too-old",
      "sslnegotiation",
      `sslnegotiation=${ignored.value} (from the environment: ${ignored.variable}${where}) needs libpq ${SINCE}; libpq ${major} ignores ${ignored.variable}.`,
      { severity: "warning" },
    );
  },
});
