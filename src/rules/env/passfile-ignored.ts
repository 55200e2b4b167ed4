// libpq ignores a password file that is group or world accessible (with a WARNING) or not a plain file
// (fe-connect.c passwordFromFile).
import { defineRule } from "../rule.js";

export default defineRule({
  id: "env/passfile-ignored",
  family: "env",
  codes: {
    "env.passfile-ignored": {
      severity: "warning",
      title: "Password file ignored by libpq",
      description:
        'libpq ignores a password file that is group or world accessible (it prints "WARNING: password file ... has group or world access; permissions should be u=rw (0600) or less") or that is not a plain file.',
      hint: "chmod 0600 the password file.",
    },
  },
  check({ env }, { report }) {
    const pf = env?.passfile;
    const bad = pf?.perHost.find((h) => h.status === "insecure" || h.status === "not-regular");
    if (!pf || !bad) return;
    const msg =
      bad.status === "insecure"
        ? `libpq ignores the password file ${pf.path}: its mode 0${(bad.mode ?? 0).toString(8).padStart(3, "0")} gives group or world access ("WARNING: password file \\"${pf.path}\\" has group or world access; permissions should be u=rw (0600) or less").`
        : `libpq ignores the password file ${pf.path}: it is not a plain file.`;
    report("env.passfile-ignored", pf.path, msg, { hint: `chmod 0600 ${pf.path}` });
  },
});
