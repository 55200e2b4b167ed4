// verify-ca/verify-full without sslrootcert: libpq falls back to ~/.postgresql/root.crt of the user the application
// runs as (fe-secure-openssl.c, initialize_SSL), a file the audit cannot see from here. pgjdbc's LibPQFactory has
// the same default; pgx and node-postgres use the system's trusted roots instead, so they are not concerned.
import { defineRule } from "../rule.js";
import { settingWhere } from "./review.js";

export default defineRule({
  id: "audit/root-default",
  family: "audit",
  codes: {
    "audit.root-default": {
      severity: "info",
      title: "Server verification relies on the application's default root file",
      description:
        "The setting asks libpq to verify the server (verify-ca or verify-full) but names no sslrootcert, so libpq reads ~/.postgresql/root.crt in the home directory of the user the application runs as. The audit cannot see that machine's home directory; if the file is missing there, every connection fails.",
      hint: "Name the CA file explicitly with sslrootcert=/path/to/ca.crt (or sslrootcert=system for a publicly trusted server certificate, libpq 16+).",
    },
  },
  check({ audit }, { report }) {
    const s = audit?.setting;
    if (!s) return;
    const mode = s.effective.sslmode?.value;
    if ((mode !== "verify-ca" && mode !== "verify-full") || s.effective.sslrootcert !== undefined) return;
    if (s.placeholders.sslrootcert !== undefined || (s.client !== "libpq" && s.client !== "jdbc")) return;
    const where = settingWhere(s);
    report(
      "audit.root-default",
      "sslrootcert",
      `sslmode=${mode} without sslrootcert (${where}): libpq reads ~/.postgresql/root.crt of the user the application runs as, which this audit cannot see; if it is missing there, every connection fails with "root certificate file ... does not exist".`,
    );
  },
});
