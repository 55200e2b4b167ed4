import type { CodeSpec } from "../rule.js";

/** Findings about libpq parsing and option validation, sslmode semantics. */
export const CONNINFO_FINDINGS = {
  "conninfo.parse-error": {
    severity: "error",
    title: "libpq cannot parse the connection string",
    description:
      "PQconninfoParse (and so psql, psycopg and every libpq client) rejects the string before doing anything else. The message is libpq's own, with any quoted secret masked.",
    hint: "Fix the syntax named in the message; in a URI, percent-encode reserved characters in the user, password, host and database name.",
  },
  "conninfo.unknown-option": {
    severity: "error",
    title: "Unknown connection parameter",
    description:
      "libpq matches parameter names exactly and refuses any it does not know (`invalid connection option`, `invalid URI query parameter`). Spellings from other drivers (sslMode, ssl_mode, ssl=1, uselibpqcompat) fail here.",
    hint: "Use libpq's exact keyword; the message suggests the closest one.",
  },
  "conninfo.option-too-new": {
    severity: "error",
    title: "Parameter unknown to this libpq version",
    description:
      "The parameter exists, but only in a newer libpq than the one modelled (--libpq). The client's libpq, not the server's version, decides: an older libpq rejects the whole string.",
    hint: "Upgrade the client's libpq (psql --version, psycopg.pq.version()) or drop the parameter.",
  },
  "conninfo.invalid-value": {
    severity: "error",
    title: "Invalid parameter value",
    description:
      "libpq checks enumerated values (sslmode, sslnegotiation, gssencmode, channel_binding, target_session_attrs, ...) exactly and case-sensitively when it starts connecting, before any network traffic.",
    hint: "Use one of the values libpq accepts, spelled exactly.",
  },
  "conninfo.option-error": {
    severity: "error",
    title: "libpq refuses the parameter combination",
    description:
      "Before any network traffic libpq checks host/hostaddr/port list lengths, port numbers, connect_timeout, the TLS protocol range and combinations such as a weak sslmode with sslrootcert=system or sslnegotiation=direct.",
    hint: "Change the parameters named in the message.",
  },
  "sslmode.default-prefer": {
    severity: "warning",
    title: "No sslmode set: libpq uses prefer",
    description:
      "Without sslmode, libpq tries SSL without checking the server's certificate and silently falls back to an unencrypted connection when SSL fails. Nobody notices a downgrade, and the server is never authenticated.",
    hint: "Set sslmode=verify-full with sslrootcert pointing at your CA (or sslrootcert=system with libpq 16+).",
  },
  "sslmode.weak": {
    severity: "warning",
    title: "sslmode weaker than verify-full",
    description:
      "Only verify-full checks both that the certificate comes from a trusted CA and that it was issued for the host connected to. Weaker modes leave the connection open to eavesdropping or to a man in the middle (libpq's table: libpq-ssl.html, Protection Provided in Different Modes).",
    hint: "Use sslmode=verify-full.",
  },
  "sslmode.require-with-root": {
    severity: "info",
    title: "sslmode=require with a root CA file behaves like verify-ca",
    description:
      "For backwards compatibility, when a root CA file exists libpq verifies the server's chain under require exactly as under verify-ca (the host name is still not checked). The libpq documentation discourages relying on it.",
    hint: "Say what you mean: sslmode=verify-full (or verify-ca).",
  },
  "sslmode.files-ignored": {
    severity: "warning",
    title: "SSL files set but sslmode=disable",
    description:
      "With sslmode=disable libpq never starts SSL, so sslrootcert, sslcert, sslkey and the CRL settings are ignored.",
    hint: "Set sslmode=verify-full if these files are meant to be used, or remove them.",
  },
  "sslmode.system-root-too-old": {
    severity: "error",
    title: "sslrootcert=system needs libpq 16",
    description:
      'libpq before 16 has no special value `system`: it looks for a file called system in the current directory. Under verify-ca/verify-full the connection fails (root certificate file "system" does not exist); under weaker modes nothing is verified.',
    hint: "Upgrade the client's libpq to 16+, or point sslrootcert at a CA bundle file (e.g. /etc/ssl/certs/ca-certificates.crt).",
  },
  "sslmode.negotiation-too-old": {
    severity: "error",
    title: "sslnegotiation needs libpq 17",
    description:
      "Direct TLS negotiation (sslnegotiation=direct, ALPN postgresql) arrived in libpq 17. An older libpq rejects the parameter in a connection string and ignores PGSSLNEGOTIATION.",
    hint: "Upgrade the client's libpq to 17+, or remove sslnegotiation (the default postgres negotiation works with every server).",
  },
  "sslmode.hostaddr-without-host": {
    severity: "error",
    title: "verify-full with hostaddr but no host name",
    description:
      "libpq checks the server certificate against `host`, never `hostaddr`. With only hostaddr set, verify-full fails with `host name must be specified for a verified SSL connection`.",
    hint: "Add host=<the name in the server certificate> next to hostaddr.",
  },
  "sslmode.empty-host-verify": {
    severity: "warning",
    title: "An empty host under verify-ca/verify-full",
    description:
      "An empty host (or an empty entry in a host list) without hostaddr makes libpq use the default Unix-domain socket for that slot, where no SSL and no certificate check happen at all.",
    hint: "Name every host explicitly (host=db.example.com,replica.example.com).",
  },
  "sslmode.unix-socket": {
    severity: "info",
    title: "sslmode has no effect over a Unix-domain socket",
    description:
      "libpq never negotiates SSL or GSSAPI encryption on a Unix-domain socket; sslmode and the SSL files are ignored there.",
    hint: "Nothing to fix for local connections; use a TCP host if you meant to test TLS.",
  },
  "sslmode.root-missing": {
    severity: "error",
    title: "verify-ca/verify-full without a root CA file",
    description:
      "Under verify-ca and verify-full libpq needs the root CA file (sslrootcert, default ~/.postgresql/root.crt). If the file does not exist the connection fails before the handshake.",
    hint: "Point sslrootcert at the CA that signed the server certificate (or sslrootcert=system with libpq 16+ for a public CA).",
    supersededBy: "tls.root-missing",
  },
} satisfies Record<string, CodeSpec>;
