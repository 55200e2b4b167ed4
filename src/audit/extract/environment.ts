// One environment (the variables one process or container sees: a .env file, a compose service's environment, a
// container's env list, a ConfigMap loaded with envFrom, a shell script's exports) turned into settings: each URL
// variable is a setting with the others as its environment; families of variables (n8n's DB_POSTGRESDB_*, DB_HOST
// and friends) are settings of their own; libpq's PG* variables are one when no URL in the environment uses them.

import { isConnectionSetting } from "../detect.js";
import { type EnvVar, type EnvVars, familySettings, hasPgEnvironment, pgEnvironmentParts } from "../families.js";
import type { EnvironmentRecord, RawSetting, SettingContext, SourceKind } from "../types.js";

export interface EnvironmentInput {
  record: Omit<EnvironmentRecord, "vars">;
  vars: EnvVars;
  source: SourceKind;
  /** Added to every setting (base64, the path prefix is `path`). */
  extra?: Partial<RawSetting>;
  /** The YAML path of a variable's value, when the environment sits in a YAML file. */
  pathOf?: (name: string) => string;
  context?: SettingContext;
  /** Variables whose value was already read as something else (an embedded document): not strings here. */
  skip?: ReadonlySet<string>;
  /** Connection strings of this environment found by another reader (a script's lines). */
  urlsElsewhere?: boolean;
}

export function readEnvironment(e: EnvironmentInput): { settings: RawSetting[]; record: EnvironmentRecord } {
  const siblings: Record<string, { value: string; line: number }> = {};
  const vars: EnvironmentRecord["vars"] = {};
  for (const [k, v] of Object.entries(e.vars)) {
    vars[k] = { value: v.value, line: v.line, column: v.column };
    // A value from a secret store is unknown: libpq sees no such variable as far as the audit can tell.
    if (v.from === undefined) siblings[k] = { value: v.value, line: v.line };
  }
  const context: SettingContext = { ...e.extra?.context, ...e.context, environment: e.record.id };
  const base = { ...e.extra, file: e.record.file, source: e.source, context };
  const settings: RawSetting[] = [];
  for (const [name, v] of Object.entries(e.vars)) {
    if (v.from !== undefined || e.skip?.has(name) || !isConnectionSetting(name, v.value)) continue;
    const s: RawSetting = { ...base, line: v.line, column: v.column, variable: name, value: v.value, siblings };
    const path = e.pathOf?.(name);
    if (path !== undefined) s.path = path;
    settings.push(s);
  }
  for (const s of familySettings(e.vars, base)) {
    const anchor = s.parts?.host ?? Object.values(s.parts ?? {})[0];
    const path = anchor ? e.pathOf?.(anchor.key) : undefined;
    if (path !== undefined) s.path = path;
    settings.push(s);
  }
  // libpq's PG* variables are a setting of their own when no URL uses them, or when they name a server
  // (a psql or pg_dump in the same container uses them alone); a URL's settings see them as their environment too.
  const urls = e.urlsElsewhere === true || settings.some((s) => s.form !== "parts");
  const own = ["PGHOST", "PGHOSTADDR"].some((k) => (e.vars[k]?.value.trim() ?? "") !== "");
  if ((!urls || own) && hasPgEnvironment(e.vars)) {
    const parts = pgEnvironmentParts(e.vars);
    const anchor = parts.host ?? parts.hostaddr ?? parts.sslmode ?? parts.password ?? Object.values(parts)[0];
    const first = anchor ?? (Object.values(e.vars)[0] as EnvVar);
    const s: RawSetting = {
      ...base,
      line: first.line,
      column: first.column,
      variable: anchor?.key ?? "PG*",
      value: "",
      siblings,
      form: "environment",
      parts,
    };
    const path = anchor ? e.pathOf?.(anchor.key) : undefined;
    if (path !== undefined) s.path = path;
    settings.push(s);
  }
  return { settings, record: { ...e.record, vars } };
}
