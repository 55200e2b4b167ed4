// The parameters libpq will actually use: the string's own, then the connection service file, then the PG*
// environment, then compiled-in defaults (conninfo_add_defaults), then the later defaults of pqConnectOptions2
// (dbname = user, host = socket directory, the password file) and of initialize_SSL (the ~/.postgresql files).
// Every value carries its source. Values here are raw (secrets included); analyze.ts masks them for the report.
import { isIP } from "node:net";
import type { LibpqMajor } from "../model/options.js";
import { DEFAULT_SOCKET_DIR, type PassfileResult, type PassfileStat, passwordFromFile } from "./effective-passfile.js";
import { lookupService } from "./effective-service.js";
import { envVarFor, keywordsFor } from "./keywords.js";
import type { ConninfoError, ConninfoFacts, EffectiveParam, HostEntry } from "./types.js";

export interface EffectiveInput {
  /** What the connection string sets, under libpq keyword names. */
  params: Record<string, string>;
  /** Parameters the application adds to the string (SkillFlaw's connect_args); they override the string. */
  application?: Record<string, string>;
  applicationDetail?: string;
  major: LibpqMajor;
  /** The environment libpq sees (the process environment with the --env-file values loaded over it). */
  env: Record<string, string | undefined>;
  /** Where an environment variable came from, when not the process environment (e.g. ".env:3"). */
  envOrigin?: (variable: string) => string | undefined;
  home: string | null;
  /** The operating-system user (getpwuid(geteuid())), libpq's default user name. */
  osUser: string | null;
  fileExists: (p: string) => boolean;
  readFile: (p: string) => string | null;
  statFile?: (p: string) => PassfileStat | null;
  sysconfdir?: string;
}

export interface PassfileFacts {
  path: string;
  source: "connstring" | "env" | "default" | "service" | "application";
  perHost: { host: string; result: PassfileResult }[];
}

export interface EffectiveResult {
  /** Raw values: may hold the password. */
  effective: Record<string, EffectiveParam>;
  errors: ConninfoError[];
  password: ConninfoFacts["password"];
  /** The password libpq would read from the password file, if any (secret). */
  passfilePassword?: string;
  passfile?: PassfileFacts;
  hosts: HostEntry[];
  /** The service file group that applied. */
  service?: { name: string; file: string | null };
}

const ORDER = [
  "host",
  "hostaddr",
  "port",
  "dbname",
  "user",
  "password",
  "passfile",
  "service",
  "sslmode",
  "sslnegotiation",
  "sslrootcert",
  "sslcert",
  "sslkey",
  "sslpassword",
  "sslcrl",
  "sslcrldir",
  "sslcertmode",
  "sslsni",
  "ssl_min_protocol_version",
  "ssl_max_protocol_version",
  "gssencmode",
  "channel_binding",
  "require_auth",
  "connect_timeout",
  "options",
];

function ordered(e: Record<string, EffectiveParam>): Record<string, EffectiveParam> {
  const out: Record<string, EffectiveParam> = {};
  for (const k of ORDER) if (e[k] !== undefined) out[k] = e[k];
  for (const [k, v] of Object.entries(e)) if (out[k] === undefined) out[k] = v;
  return out;
}

/** Compiled-in defaults (PQconninfoOptions' `compiled` column) worth showing, for a Debian-built libpq. */
function compiledDefaults(major: LibpqMajor): Record<string, string> {
  const d: Record<string, string> = { sslmode: "prefer", gssencmode: "prefer" };
  if (major >= 13) {
    d.channel_binding = "prefer";
    d.ssl_min_protocol_version = "TLSv1.2";
  }
  if (major >= 14) d.sslsni = "1";
  if (major >= 16) d.sslcertmode = "allow";
  if (major >= 17) d.sslnegotiation = "postgres";
  return d;
}

/** is_unixsock_path: an absolute path, or (14+) an abstract socket name starting with '@'. */
export function isUnixSocketPath(host: string, major: LibpqMajor): boolean {
  return host.startsWith("/") || (major >= 14 && host.startsWith("@"));
}

function splitList(v: string | undefined): string[] {
  return v === undefined || v === "" ? [] : v.split(",");
}

/** One HostEntry per host slot, as pqConnectOptions2 builds conn->connhost. */
export function hostEntries(values: Record<string, string>, major: LibpqMajor): HostEntry[] {
  const hosts = splitList(values.host);
  const addrs = splitList(values.hostaddr);
  const ports = splitList(values.port);
  const n = addrs.length > 0 ? addrs.length : hosts.length > 0 ? hosts.length : 1;
  const out: HostEntry[] = [];
  for (let i = 0; i < n; i++) {
    const host = hosts[i] ?? "";
    const hostaddr = addrs[i] ?? "";
    const port = (ports.length === 1 ? ports[0] : ports[i]) || "5432";
    if (hostaddr !== "") {
      const e: HostEntry = { host, hostaddr, port, kind: "ip" };
      out.push(e);
    } else if (host === "") {
      out.push({ host: DEFAULT_SOCKET_DIR, port, kind: "unix-socket" });
    } else {
      out.push({ host, port, kind: isUnixSocketPath(host, major) ? "unix-socket" : isIP(host) ? "ip" : "dns" });
    }
  }
  return out;
}

function describeMode(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}

/** Compute the effective parameters with their sources. */
export function computeEffective(input: EffectiveInput): EffectiveResult {
  const { major, env } = input;
  const e: Record<string, EffectiveParam> = {};
  const errors: ConninfoError[] = [];
  const envNote = (v: string) => {
    const origin = input.envOrigin?.(v);
    return origin ? `${v} (${origin})` : v;
  };

  for (const [k, v] of Object.entries(input.params)) e[k] = { value: v, source: "connstring" };
  for (const [k, v] of Object.entries(input.application ?? {})) {
    const replaced = e[k] !== undefined ? "; it replaces the value in the URL" : "";
    e[k] = {
      value: v,
      source: "application",
      detail: `${input.applicationDetail ?? "added by the application"}${replaced}`,
    };
  }

  // 1. The service file fills what the string left unset (parseServiceInfo runs before the environment).
  const keywords = keywordsFor(major);
  const svc = lookupService(e.service?.value, {
    env,
    home: input.home,
    readFile: input.readFile,
    keywords,
    ...(input.sysconfdir !== undefined ? { sysconfdir: input.sysconfdir } : {}),
  });
  errors.push(...svc.errors);
  for (const { keyword, value, line } of svc.values) {
    if (e[keyword] === undefined)
      e[keyword] = { value, source: "service", detail: `[${svc.service}] in ${svc.file}, line ${line}` };
  }

  // 2. Environment variables (an empty variable counts as set: getenv() != NULL), then compiled defaults.
  let sslmodeDefaulted = false;
  for (const k of keywords) {
    if (e[k] !== undefined) continue;
    const variable = envVarFor(k, major);
    if (variable !== undefined && env[variable] !== undefined) {
      e[k] = { value: env[variable] as string, source: "env", detail: envNote(variable) };
      continue;
    }
    if (k === "sslmode") {
      const requiressl = env.PGREQUIRESSL;
      if (requiressl?.startsWith("1")) {
        e[k] = { value: "require", source: "env", detail: `${envNote("PGREQUIRESSL")} (deprecated)` };
        continue;
      }
      sslmodeDefaulted = true;
    }
    const compiled = compiledDefaults(major)[k];
    if (compiled !== undefined) e[k] = { value: compiled, source: "default", detail: "libpq's compiled-in default" };
  }
  if (sslmodeDefaulted && major >= 16 && e.sslrootcert?.value === "system") {
    e.sslmode = {
      value: "verify-full",
      source: "default",
      detail: "sslrootcert=system makes libpq 16+ default to verify-full",
    };
  }

  // 3. pqConnectOptions2: user, dbname, host, port defaults (an empty value counts as unset there).
  if (!e.user?.value) {
    const was = e.user ? ` (${e.user.source} value is empty)` : "";
    if (input.osUser !== null)
      e.user = { value: input.osUser, source: "default", detail: `the operating-system user${was}` };
  }
  if (!e.dbname?.value && e.user?.value) {
    const was = e.dbname ? ` (${e.dbname.source} value is empty)` : "";
    e.dbname = { value: e.user.value, source: "default", detail: `same as the user name${was}` };
  }
  if (!e.host?.value && !e.hostaddr?.value) {
    e.host = { value: DEFAULT_SOCKET_DIR, source: "default", detail: "libpq's default Unix-socket directory" };
  }
  if (!e.port?.value) e.port = { value: "5432", source: "default", detail: "libpq's default port" };

  // 4. Initialize_SSL's default files under ~/.postgresql (an empty setting also falls back to them).
  if (input.home !== null) {
    const dir = `${input.home}/.postgresql`;
    const defaultFile = (k: string, name: string) => {
      if (e[k]?.value) return;
      const path = `${dir}/${name}`;
      const exists = input.fileExists(path);
      e[k] = {
        value: path,
        source: "default",
        detail: exists ? "default file; it exists" : "default file; it does not exist",
      };
    };
    defaultFile("sslrootcert", "root.crt");
    defaultFile("sslcert", "postgresql.crt");
    defaultFile("sslkey", "postgresql.key");
    if (!e.sslcrl?.value && !e.sslcrldir?.value) defaultFile("sslcrl", "root.crl");
  }

  const values: Record<string, string> = {};
  for (const [k, p] of Object.entries(e)) values[k] = p.value;
  const hosts = hostEntries(values, major);

  // 5. The password: string, service file or PGPASSWORD; else the password file, per host.
  const result: EffectiveResult = { effective: e, errors, password: { source: "none" }, hosts };
  if (svc.service !== null) result.service = { name: svc.service, file: svc.file };
  if (e.password?.value) {
    const src = e.password.source;
    result.password =
      src === "env"
        ? { source: "env", detail: e.password.detail ?? "PGPASSWORD" }
        : { source: "connstring", detail: src === "service" ? `service file ${svc.file}` : src };
  } else {
    const explicit = e.passfile?.value;
    const path = explicit || (input.home !== null ? `${input.home}/.pgpass` : null);
    if (path !== null) {
      const source = explicit ? (e.passfile?.source ?? "connstring") : "default";
      const stat = input.statFile?.(path) ?? (input.fileExists(path) ? { isFile: true, mode: 0o600 } : null);
      const text = stat?.isFile ? input.readFile(path) : null;
      const perHost = hosts.map((h) => ({
        host: h.host || h.hostaddr || "",
        result: passwordFromFile(
          { host: h.host || h.hostaddr || "", port: h.port, dbname: values.dbname ?? "", user: values.user ?? "" },
          stat,
          stat?.isFile ? text : stat === null ? null : "",
        ),
      }));
      result.passfile = { path, source, perHost };
      const first = perHost[0]?.result;
      const detail =
        first === undefined || first.status === "missing"
          ? "password file; it does not exist"
          : first.status === "not-regular"
            ? "password file; not a plain file, so libpq ignores it"
            : first.status === "insecure"
              ? `password file; mode ${describeMode(first.mode)} is group or world accessible, so libpq warns and ignores it`
              : first.status === "match"
                ? `password file; line ${first.line} matches this connection`
                : "password file; no line matches this connection";
      e.passfile = {
        value: path,
        source: explicit ? (e.passfile?.source ?? "connstring") : "default",
        detail: explicit && e.passfile?.detail ? `${e.passfile.detail}; ${detail}` : detail,
      };
      const match = perHost.find((p) => p.result.status === "match");
      if (match && match.result.status === "match") {
        result.passfilePassword = match.result.password;
        result.password = { source: "passfile", detail: `${path}, line ${match.result.line}` };
      }
    }
  }
  result.effective = ordered(e);
  return result;
}
