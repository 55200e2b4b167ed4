// Which rule family each finding code belongs to, taken from the family tables themselves (not from the
// code's prefix), so that a renderer can put a finding under the pipeline section whose stage produced it.
import type { DefinitionTable } from "../../rules/definition.js";
import { CONNINFO_FINDINGS } from "../../rules/definitions/conninfo.js";
import { ENV_FINDINGS } from "../../rules/definitions/env.js";
import { FILES_FINDINGS } from "../../rules/definitions/files.js";
import { INPUT_FINDINGS } from "../../rules/definitions/input.js";
import { MODES_FINDINGS } from "../../rules/definitions/modes.js";
import { SERVER_FINDINGS } from "../../rules/definitions/server.js";
import { URL_FINDINGS } from "../../rules/definitions/url.js";

export const FAMILIES = ["input", "conninfo", "url", "env", "files", "server", "modes"] as const;
export type Family = (typeof FAMILIES)[number];

/** Same order as the registry spreads them; a test checks that together they are exactly FINDINGS. */
export const FAMILY_TABLES: Record<Family, DefinitionTable> = {
  input: INPUT_FINDINGS,
  conninfo: CONNINFO_FINDINGS,
  url: URL_FINDINGS,
  env: ENV_FINDINGS,
  files: FILES_FINDINGS,
  server: SERVER_FINDINGS,
  modes: MODES_FINDINGS,
};

export const FAMILY_TITLES: Record<Family, string> = {
  input: "Input (where the connection string comes from)",
  conninfo: "Connection parameters (libpq parsing and options)",
  url: "SQLAlchemy URL layer",
  env: ".env files and environment variables",
  files: "Certificate, key, CA and CRL files",
  server: "Server probe (wire level, TLS)",
  modes: "sslmode matrix (live attempts)",
};

/** The pipeline section a report shows a family's findings in. */
export type Section = "connection" | "files" | "server" | "modes" | "other";

export const FAMILY_SECTION: Record<Family, Section> = {
  input: "connection",
  conninfo: "connection",
  url: "connection",
  env: "connection",
  files: "files",
  server: "server",
  modes: "modes",
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
  if ((FAMILIES as readonly string[]).includes(prefix)) return prefix as Family;
  return PREFIX_FAMILY[prefix] ?? null;
}

export function sectionOf(code: string): Section {
  const family = familyOf(code);
  return family === null ? "other" : FAMILY_SECTION[family];
}
