// Which report section a finding goes under: the section of the family whose rule declares the code (from the
// registry, not from the code's prefix).
import { CODES, FAMILIES, type Family, isFindingCode } from "../../rules/registry.js";

export { FAMILY_TITLES } from "../../rules/families.js";
export { FAMILIES, type Family };

/** The pipeline section a report shows a family's findings in. */
export type Section = "connection" | "files" | "server" | "modes" | "ops" | "other";

export const FAMILY_SECTION: Record<Family, Section> = {
  input: "connection",
  conninfo: "connection",
  url: "connection",
  env: "connection",
  files: "files",
  // A certificate's findings read the same from a file and from the wire; they sit with the files it is mostly about.
  certs: "files",
  server: "server",
  modes: "modes",
  ops: "ops",
  // What answers at the address: read with the server probe and its view of the session.
  pooler: "server",
  audit: "other",
};

/** Code prefixes that name a family without being one (DESIGN.md's examples: tls.*, key.*). */
const PREFIX_FAMILY: Record<string, Family> = {
  cert: "files",
  key: "files",
  crl: "files",
  tls: "server",
  sslmode: "modes",
  session: "modes",
};

/**
 * The family whose rule declares the code. A code nothing declares (a report from another dbdoctor version, a
 * hand-built report) falls back to its prefix, so it still lands in a sensible section.
 */
export function familyOf(code: string): Family | null {
  if (isFindingCode(code)) return CODES[code].family;
  const prefix = code.split(".")[0] ?? "";
  if ((FAMILIES as readonly string[]).includes(prefix)) return prefix as Family;
  return PREFIX_FAMILY[prefix] ?? null;
}

export function sectionOf(code: string): Section {
  const family = familyOf(code);
  return family === null ? "other" : FAMILY_SECTION[family];
}
