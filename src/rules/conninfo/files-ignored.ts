// sslmode=disable never starts SSL, so every SSL file setting next to it is dead configuration.
import { defineRule } from "../rule.js";
import { explicit, sslOverTcp } from "./sslmode.js";

const SSL_FILE_SETTINGS = ["sslrootcert", "sslcert", "sslkey", "sslcrl", "sslcrldir", "sslpassword"] as const;

export default defineRule({
  id: "conninfo/files-ignored",
  family: "conninfo",
  codes: {
    "sslmode.files-ignored": {
      severity: "warning",
      title: "SSL files set but sslmode=disable",
      description:
        "With sslmode=disable libpq never starts SSL, so sslrootcert, sslcert, sslkey and the CRL settings are ignored.",
      hint: "Set sslmode=verify-full if these files are meant to be used, or remove them.",
    },
  },
  check({ conninfo }, { report }) {
    if (!conninfo || sslOverTcp(conninfo)?.mode !== "disable") return;
    const ignored = SSL_FILE_SETTINGS.filter((k) => explicit(conninfo.effective[k]));
    if (ignored.length === 0) return;
    report(
      "sslmode.files-ignored",
      ignored.join(", "),
      `sslmode=disable never starts SSL, so ${ignored.join(", ")} ${ignored.length === 1 ? "is" : "are"} ignored.`,
      {
        hint: "Set sslmode=verify-full if these files are meant to be used (a client certificate needs SSL too), or remove them.",
      },
    );
  },
});
