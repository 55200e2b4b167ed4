// libpq never negotiates SSL on a Unix-domain socket (init_allowed_encryption_methods): sslmode and the SSL files
// mean nothing there, and a socket slot in a host list escapes verify-ca/verify-full.
import { defineRule } from "../rule.js";
import { explicit, sslSetting } from "./sslmode.js";

export default defineRule({
  id: "conninfo/unix-socket",
  family: "conninfo",
  codes: {
    "sslmode.unix-socket": {
      severity: "info",
      title: "sslmode has no effect over a Unix-domain socket",
      description:
        "libpq never negotiates SSL or GSSAPI encryption on a Unix-domain socket; sslmode and the SSL files are ignored there.",
      hint: "Nothing to fix for local connections; use a TCP host if you meant to test TLS.",
    },
    "sslmode.empty-host-verify": {
      severity: "warning",
      title: "An empty host under verify-ca/verify-full",
      description:
        "An empty host (or an empty entry in a host list) without hostaddr makes libpq use the default Unix-domain socket for that slot, where no SSL and no certificate check happen at all.",
      hint: "Name every host explicitly (host=db.example.com,replica.example.com).",
    },
  },
  check({ conninfo }, { report }) {
    const s = sslSetting(conninfo);
    if (!conninfo || !s || s.sockets.length === 0) return;
    if (s.tcp.length === 0) {
      const sslFiles = ["sslrootcert", "sslcert", "sslkey"].filter((k) => explicit(conninfo.effective[k]));
      if ((!s.explicit || s.mode === "disable") && sslFiles.length === 0) return;
      const what = s.explicit ? `sslmode=${s.mode}` : sslFiles.join(", ");
      report(
        "sslmode.unix-socket",
        "host",
        `${s.sockets.map((h) => h.host).join(", ")} is a Unix-domain socket: libpq never uses SSL there, so ${what} has no effect.`,
      );
    } else if (s.mode === "verify-ca" || s.mode === "verify-full") {
      const n = s.sockets.length;
      report(
        "sslmode.empty-host-verify",
        "host",
        `The host list has ${n === 1 ? "an empty entry" : `${n} empty entries`} (or a socket path) next to TCP hosts: libpq uses the Unix-domain socket there, without SSL or any certificate check, despite sslmode=${s.mode}.`,
      );
    }
  },
});
