// For backwards compatibility libpq verifies the chain under require whenever a root file exists
// (fe-secure-openssl.c initialize_SSL): the same setting verifies or not depending on a file.
import { defineRule } from "../rule.js";
import { sslOverTcp } from "./sslmode.js";

export default defineRule({
  id: "conninfo/require-with-root",
  family: "conninfo",
  codes: {
    "sslmode.require-with-root": {
      severity: "info",
      title: "sslmode=require with a root CA file behaves like verify-ca",
      description:
        "For backwards compatibility, when a root CA file exists libpq verifies the server's chain under require exactly as under verify-ca (the host name is still not checked). The libpq documentation discourages relying on it.",
      hint: "Say what you mean: sslmode=verify-full (or verify-ca).",
    },
  },
  check({ conninfo }, { report }) {
    const root = conninfo?.rootFile;
    if (sslOverTcp(conninfo)?.mode !== "require" || !root?.exists) return;
    report(
      "sslmode.require-with-root",
      "sslmode",
      `A root CA file is present (${root.path}), so under sslmode=require libpq verifies the server's certificate chain exactly as under verify-ca (but not the host name); without that file the same setting verifies nothing.`,
    );
  },
});
