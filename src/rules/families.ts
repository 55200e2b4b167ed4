// The rule families, in pipeline order: reports group findings by family and docs/findings.md lists them so.
// A new family is one entry here (and its rules under src/rules/<family>/).

export const FAMILIES = [
  "input",
  "conninfo",
  "url",
  "env",
  "files",
  "certs",
  "server",
  "modes",
  "ops",
  "pooler",
  "audit",
] as const;
export type Family = (typeof FAMILIES)[number];

export const FAMILY_TITLES: Readonly<Record<Family, string>> = {
  input: "Input (where the connection string comes from)",
  conninfo: "Connection parameters (libpq parsing and options)",
  url: "SQLAlchemy URL layer",
  env: ".env files and environment variables",
  files: "Certificate, key, CA and CRL files",
  certs: "Certificates (dates, strength, the server's chain and host name; from a file or as the server sent them)",
  server: "Server probe (wire level, TLS)",
  modes: "sslmode matrix (live attempts)",
  ops: "SkillFlaw operations (pools, connection slots, version, schema, clients, cloud providers)",
  pooler: "Poolers and proxies between the client and PostgreSQL (PgBouncer, pgpool-II, Supavisor, RDS Proxy)",
  audit: "Configuration audit (files scanned by dbdoctor audit)",
};
