// sslrootcert=system (the operating system's trusted roots) arrived in libpq 16; an older libpq looks for a file
// named "system" in the current directory.
import { rootMissingMessage } from "../../pki/libpq-messages.js";
import { defineRule } from "../rule.js";
import { sslOverTcp } from "./sslmode.js";

const SINCE = 16;

export default defineRule({
  id: "conninfo/system-root-too-old",
  family: "conninfo",
  codes: {
    "sslmode.system-root-too-old": {
      severity: "error",
      title: "sslrootcert=system needs libpq 16",
      description:
        'libpq before 16 has no special value `system`: it looks for a file called system in the current directory. Under verify-ca/verify-full the connection fails (root certificate file "system" does not exist); under weaker modes nothing is verified.',
      hint: "Upgrade the client's libpq to 16+, or point sslrootcert at a CA bundle file (e.g. /etc/ssl/certs/ca-certificates.crt).",
    },
  },
  check({ conninfo }, { report }) {
    const s = sslOverTcp(conninfo);
    if (!conninfo || !s || conninfo.major >= SINCE || conninfo.effective.sslrootcert?.value !== "system") return;
    const major = conninfo.major;
    const consequence =
      s.mode === "verify-ca" || s.mode === "verify-full"
        ? `the connection fails: ${rootMissingMessage("system", major).split("\n")[0]}`
        : `nothing is verified under sslmode=${s.mode}`;
    report(
      "sslmode.system-root-too-old",
      "sslrootcert",
      `libpq ${major} has no sslrootcert=system (added in libpq ${SINCE}): it looks for a file named "system", so ${consequence}.`,
    );
  },
});
