// Under verify-ca/verify-full libpq needs the root CA file before the handshake (initialize_SSL). The stage looked
// whether it exists; the files stage's tls.root-missing, when it ran, says the same with more detail.
import { rootMissingMessage } from "../../pki/libpq-messages.js";
import { systemRootAdvice } from "../client-advice.js";
import { defineRule } from "../rule.js";
import { sslOverTcp } from "./sslmode.js";

export default defineRule({
  id: "conninfo/root-missing",
  family: "conninfo",
  codes: {
    "sslmode.root-missing": {
      severity: "error",
      title: "verify-ca/verify-full without a root CA file",
      description:
        "Under verify-ca and verify-full libpq needs the root CA file (sslrootcert, default ~/.postgresql/root.crt). If the file does not exist the connection fails before the handshake.",
      hint: "Point sslrootcert at the CA that signed the server certificate (or sslrootcert=system with libpq 16+ for a public CA).",
      supersededBy: "tls.root-missing",
    },
  },
  check({ conninfo, client }, { report }) {
    const s = sslOverTcp(conninfo);
    const root = conninfo?.rootFile;
    if (!conninfo || !root || root.exists || (s?.mode !== "verify-ca" && s?.mode !== "verify-full")) return;
    report(
      "sslmode.root-missing",
      "sslrootcert",
      `libpq fails before the handshake: ${rootMissingMessage(root.path, conninfo.major).replace("\n", ". ")}`,
      {
        hint: `Point sslrootcert at the CA that signed the server certificate (or use ${systemRootAdvice(client, conninfo.major)} for a public CA).`,
        evidence: { path: root.path, source: conninfo.effective.sslrootcert?.source ?? "default" },
      },
    );
  },
});
