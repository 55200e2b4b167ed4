// Which rule family each finding code belongs to, taken from the family tables themselves (not from the
// code's prefix), so that a renderer can put a finding under the pipeline section whose stage produced it.
import { FAMILY_TABLES, type Family } from "../../rules/registry.js";

export { FAMILY_TABLES, type Family };

export const FAMILIES = Object.keys(FAMILY_TABLES) as Family[];

export const FAMILY_TITLES: Record<Family, string> = {
  input: "Input (where the connection string comes from)",
  conninfo: "Connection parameters (libpq parsing and options)",
  url: "SQLAlchemy URL layer",
  env: ".env files and environment variables",
  files: "Certificate, key, CA and CRL files",
  server: "Server probe (wire level, TLS)",
  modes: "sslmode matrix (live attempts)",
  ops: "SkillFlaw operations (pools, connection slots, version, schema, clients, cloud providers)",
  audit: "Configuration audit (files scanned by dbdoctor audit)",
};

/** The pipeline section a report shows a family's findings in. */
export type Section = "connection" | "files" | "server" | "modes" | "ops" | "other";

export const FAMILY_SECTION: Record<Family, Section> = {
  input: "connection",
  conninfo: "connection",
  url: "connection",
  env: "connection",
  files: "files",
  server: "server",
  modes: "modes",
  ops: "ops",
  audit: "other",
};

/** Code prefixes that name a family without being one (DESIGN.md's examples: tls.*, key.*). */
const PREFIX_FAMILY: Record<string, Family> = {
  cert: "files",
  key: "files",
  crl: "files",
  tls: "server",
  sslmode: "modes",
};

/**
 * The family whose table registers the code. A code no table registers (a report from another dbdoctor
 * version, a hand-built report) falls back to its prefix, so it still lands in a sensible section.
 */
export function familyOf(code: string): Family | null {
  for (const family of FAMILIES) if (Object.hasOwn(FAMILY_TABLES[family], code)) return family;
  const prefix = code.split(".")[0] ?? "";
  if (Object.hasOwn(FAMILY_TABLES, prefix)) return prefix as Family;
  return PREFIX_FAMILY[prefix] ?? null;
}

export function sectionOf(code: string): Section {
  const family = familyOf(code);
  return family === null ? "other" : FAMILY_SECTION[family];
}
