// libpq's connection service file (fe-connect.c parseServiceInfo / parseServiceFile): which file is read, which
// group applies, and what it sets. Values from the file fill only parameters the string left unset.
import type { ConninfoError } from "./types.js";

/** Debian/Ubuntu's libpq is built with SYSCONFDIR=/etc/postgresql-common (upstream default: PREFIX/etc). */
export const DEFAULT_SYSCONFDIR = "/etc/postgresql-common";

export interface ServiceLookup {
  /** The service name, from the string's `service` or PGSERVICE; null when none is asked for. */
  service: string | null;
  /** The file whose group applied, when one did. */
  file: string | null;
  /** Parameters from the group, in file order, with their line; the first setting of a keyword wins. */
  values: { keyword: string; value: string; line: number }[];
  errors: ConninfoError[];
  /** Files looked at, for messages. */
  looked: string[];
}

export interface ServiceContext {
  env: Record<string, string | undefined>;
  home: string | null;
  readFile: (p: string) => string | null;
  /** Every keyword the modelled libpq knows (a key outside it is a syntax error in the file). */
  keywords: ReadonlySet<string>;
  sysconfdir?: string;
}

const C_SPACE = /[ \t\n\v\f\r]/;

function parseServiceFile(
  file: string,
  text: string,
  service: string,
  keywords: ReadonlySet<string>,
): { found: boolean; values: ServiceLookup["values"]; error?: ConninfoError } {
  let found = false;
  const values: ServiceLookup["values"] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const linenr = i + 1;
    let line = lines[i] ?? "";
    if (i === lines.length - 1 && line === "") break;
    while (line.length > 0 && C_SPACE.test(line[line.length - 1]!)) line = line.slice(0, -1);
    while (line.length > 0 && C_SPACE.test(line[0]!)) line = line.slice(1);
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("[")) {
      if (found) return { found, values };
      found = line.slice(1, 1 + service.length) === service && line[service.length + 1] === "]";
      continue;
    }
    if (!found) continue;
    if (line.startsWith("ldap")) continue; // LDAP lookups: not modelled, and not an error
    const eq = line.indexOf("=");
    const syntax = (): ConninfoError => ({
      stage: "options",
      message: `syntax error in service file "${file}", line ${linenr}`,
    });
    if (eq < 0) return { found, values, error: syntax() };
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === "service") {
      return {
        found,
        values,
        error: {
          stage: "options",
          message: `nested service specifications not supported in service file "${file}", line ${linenr}`,
        },
      };
    }
    if (!keywords.has(key)) return { found, values, error: { ...syntax(), keyword: key } };
    if (!values.some((v) => v.keyword === key)) values.push({ keyword: key, value, line: linenr });
  }
  return { found, values };
}

/** parseServiceInfo: PGSERVICEFILE or ~/.pg_service.conf first, then PGSYSCONFDIR (or SYSCONFDIR)/pg_service.conf. */
export function lookupService(explicit: string | undefined, ctx: ServiceContext): ServiceLookup {
  const service = explicit ?? ctx.env.PGSERVICE ?? null;
  const out: ServiceLookup = { service, file: null, values: [], errors: [], looked: [] };
  if (service === null) return out;
  // A missing ~/.pg_service.conf or system file is skipped, but a PGSERVICEFILE that cannot be opened is an error.
  const candidates: { file: string; required: boolean }[] = [];
  if (ctx.env.PGSERVICEFILE !== undefined) candidates.push({ file: ctx.env.PGSERVICEFILE, required: true });
  else if (ctx.home !== null) candidates.push({ file: `${ctx.home}/.pg_service.conf`, required: false });
  candidates.push({
    file: `${ctx.env.PGSYSCONFDIR ?? ctx.sysconfdir ?? DEFAULT_SYSCONFDIR}/pg_service.conf`,
    required: false,
  });
  for (const { file, required } of candidates) {
    out.looked.push(file);
    const text = ctx.readFile(file);
    if (text === null && required) {
      out.errors.push({ stage: "options", message: `service file "${file}" not found`, keyword: "service" });
      return out;
    }
    if (text === null) continue;
    const r = parseServiceFile(file, text, service, ctx.keywords);
    if (r.error) {
      out.errors.push(r.error);
      return out;
    }
    if (r.found) {
      out.file = file;
      out.values = r.values;
      return out;
    }
  }
  out.errors.push({ stage: "options", message: `definition of service "${service}" not found`, keyword: "service" });
  return out;
}
