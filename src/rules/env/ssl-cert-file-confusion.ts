// SKILLFLAW_SSL_CERT_FILE / SKILLFLAW_SSL_KEY_FILE enable HTTPS on SkillFlaw's own web server and never reach the
// database driver. Flagged when they look meant for the database: the same file as the URL's TLS settings, a
// database-like file name, or a URL that sets no TLS parameter at all.
import type { EffectiveParam } from "../../conninfo/types.js";
import { defineRule } from "../rule.js";
import { originOf } from "../where.js";

/** File names that belong to a database client's TLS setup rather than a web server's. */
const DB_TLS_NAME = /(^|\/)(root|ca|client|postgresql|server|pg|postgres|db|database)[-_.\w]*\.(crt|key|pem|cer)$/i;

export default defineRule({
  id: "env/ssl-cert-file-confusion",
  family: "env",
  codes: {
    "env.ssl-cert-file-confusion": {
      severity: "warning",
      title: "SKILLFLAW_SSL_CERT_FILE / SKILLFLAW_SSL_KEY_FILE used for the database",
      description:
        "SKILLFLAW_SSL_CERT_FILE and SKILLFLAW_SSL_KEY_FILE enable HTTPS on SkillFlaw's own web server; they are never given to the database driver. TLS to PostgreSQL is configured only in the URL's query (sslmode, sslrootcert, sslcert, sslkey).",
      hint: "Put the database's files in the URL: ?sslmode=verify-full&sslrootcert=/path/ca.crt (&sslcert=...&sslkey=... for a client certificate).",
    },
  },
  check({ env, conninfo }, { report }) {
    if (!env || env.webServerTls.length === 0) return;
    const effective = conninfo?.effective ?? {};
    const dbFiles = ["sslrootcert", "sslcert", "sslkey"]
      .map((k) => effective[k])
      .filter((p): p is EffectiveParam => p !== undefined && p.source !== "default")
      .map((p) => p.value);
    const urlHasSsl = Object.entries(effective).some(
      ([k, p]) => k.startsWith("ssl") && (p.source === "connstring" || p.source === "application"),
    );
    for (const v of env.webServerTls) {
      const sameFile = dbFiles.includes(v.value);
      const dbName = DB_TLS_NAME.test(v.value);
      if (!sameFile && urlHasSsl && !dbName) continue;
      const { where, location } = originOf(v);
      const why = sameFile
        ? `it names the same file as the database connection's TLS settings (${v.value})`
        : dbName
          ? `it names ${v.value}, which looks like a database client certificate, key or CA`
          : "the URL itself sets no TLS parameters, as if this variable were meant to configure them";
      report(
        "env.ssl-cert-file-confusion",
        v.variable,
        `${v.variable} is set (${where}) and ${why}; it only enables HTTPS on SkillFlaw's own web server and never reaches the database driver.`,
        {
          hint: "Configure TLS to PostgreSQL in the URL: ?sslmode=verify-full&sslrootcert=/path/ca.crt (plus &sslcert=...&sslkey=... for a client certificate); keep SKILLFLAW_SSL_* for the web server's own certificate.",
          ...(location ? { location } : {}),
        },
      );
    }
  },
});
