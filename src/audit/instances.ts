// SkillFlaw (or Langflow, whose settings SkillFlaw copies with its own prefix) processes as the tree configures them:
// every environment with SKILLFLAW_DATABASE_URL or LANGFLOW_DATABASE_URL is one instance. Several instances share a
// database by design ("one PostgreSQL database for multiple SkillFlaw instances"), but on one machine each needs its
// own port and its own configuration directory (settings: SKILLFLAW_PORT, default 7860; SKILLFLAW_CONFIG_DIR, default
// the user's cache directory, where secret_key and the logs are written). Facts only: the audit/instances rule judges.
import { posix } from "node:path";
import { isAppUrlVariable } from "./detect.js";
import { isExampleFile } from "./pipeline.js";
import type { AppInstance, DeclaredServer, EnvironmentRecord, RawSetting, SettingFacts, TreeServer } from "./types.js";

/** SkillFlaw's defaults (Langflow's settings: port 7860, config_dir = platformdirs.user_cache_dir(app)). */
const DEFAULT_PORT = "7860";
const defaultConfigDir = (prefix: AppInstance["prefix"]) =>
  `~/.cache/${prefix === "SKILLFLAW_" ? "skillflaw" : "langflow"} (the default: the user's cache directory)`;

function databaseOf(f: SettingFacts): string | null {
  const e = f.conninfo.effective;
  const host = f.conninfo.hosts.map((h) => `${h.host.toLowerCase()}:${h.port || "5432"}`).join(",");
  if (host === "") return null;
  return `${host}/${e.dbname?.value ?? e.user?.value ?? "(default)"}`;
}

/** The port a process occupies on its machine. */
function ports(env: EnvironmentRecord, prefix: AppInstance["prefix"], anchor: SettingFacts): AppInstance["ports"] {
  const own = env.vars[`${prefix}PORT`];
  const fromVar = own
    ? { value: own.value.trim(), explicit: true, line: own.line, column: own.column }
    : { value: DEFAULT_PORT, explicit: false, line: anchor.location.line, column: anchor.location.column };
  // A container without host networking has its own ports; only what it publishes occupies the machine's.
  if (env.isolated && !env.hostNetwork)
    return (env.publishedPorts ?? []).map((p) => ({ value: p.port, explicit: true, line: p.line, column: p.column }));
  if (env.host === null) return [];
  return [fromVar];
}

/** The configuration directory as a path on the machine, or null when it is the container's own. */
function configDir(
  env: EnvironmentRecord,
  prefix: AppInstance["prefix"],
  anchor: SettingFacts,
): AppInstance["configDir"] {
  const own = env.vars[`${prefix}CONFIG_DIR`];
  if (env.host === null) return null;
  if (!env.isolated) {
    if (own) return { value: own.value.trim(), explicit: true, line: own.line, column: own.column };
    return {
      value: defaultConfigDir(prefix),
      explicit: false,
      line: anchor.location.line,
      column: anchor.location.column,
    };
  }
  // In a container the directory is shared only through a mount of the same volume or host path.
  if (!own) return null;
  const dir = posix.normalize(own.value.trim().startsWith("/") ? own.value.trim() : `/${own.value.trim()}`);
  for (const m of env.mounts ?? []) {
    const target = posix.normalize(m.target);
    if (dir === target || dir.startsWith(`${target}/`))
      return {
        value: `${m.source}${dir.slice(target.length)} (mounted at ${m.target})`,
        explicit: true,
        line: own.line,
        column: own.column,
      };
  }
  return null;
}

/**
 * The instances: one per environment holding an application URL variable, examples left out (a template is not an
 * instance). `settings` are the measured settings in report order, `raws` the extracted ones (same order).
 */
export function findInstances(
  environments: readonly EnvironmentRecord[],
  raws: readonly RawSetting[],
  settings: readonly SettingFacts[],
): AppInstance[] {
  const byId = new Map(environments.map((e) => [e.id, e]));
  const out: AppInstance[] = [];
  for (const [i, raw] of raws.entries()) {
    const f = settings[i];
    const envId = raw.context?.environment;
    if (!f || envId === undefined || (raw.form ?? "string") !== "string" || !isAppUrlVariable(raw.variable)) continue;
    if (isExampleFile(raw.file) || raw.context?.ci) continue;
    const env = byId.get(envId);
    if (!env) continue;
    const prefix = (raw.variable as string).toUpperCase().startsWith("LANGFLOW_") ? "LANGFLOW_" : "SKILLFLAW_";
    const e = f.conninfo.effective;
    out.push({
      label: env.label,
      file: env.file,
      line: env.line,
      column: env.column,
      setting: f.id,
      prefix,
      host: env.host,
      database: databaseOf(f),
      sslmode: f.placeholders?.sslmode !== undefined ? null : (e.sslmode?.value ?? "prefer"),
      sslrootcert: f.placeholders?.sslrootcert !== undefined ? null : (e.sslrootcert?.value ?? null),
      ports: ports(env, prefix, f),
      configDir: configDir(env, prefix, f),
    });
  }
  return out;
}

/** The servers the tree runs and, for each, the settings of the same file that connect to it by its name. */
export function serversWithClients(
  servers: readonly DeclaredServer[],
  settings: readonly SettingFacts[],
): TreeServer[] {
  return servers.map((server) => ({
    server,
    clients: settings
      .filter(
        (s) =>
          s.location.file === server.file &&
          s.conninfo.hosts.some((h) => h.host.toLowerCase() === server.name.toLowerCase()) &&
          s.placeholders?.sslmode === undefined,
      )
      .map((s) => ({
        setting: s.id,
        file: s.location.file,
        line: s.location.line,
        column: s.location.column,
        sslmode: s.conninfo.effective.sslmode?.value ?? "prefer",
      })),
  }));
}
