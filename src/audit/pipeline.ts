// One setting through the offline pipeline: conninfo (read as SQLAlchemy or libpq does), then the files stage with
// relative paths resolved against the config file's directory, then the facts the audit family's rules judge
// (where and how the setting is stored). Raw values stay in here; what leaves is redacted, and every secret is
// registered for the output scrubber.
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { type AnalyzeContext, analyzeConninfo, type ConninfoStageFacts } from "../conninfo/analyze.js";
import type { ConninfoFacts, EffectiveParam, HostEntry } from "../conninfo/types.js";
import { READ_CAPS, readTextOrNull } from "../io/read.js";
import type { StageResult } from "../model/stage.js";
import type { FileAnalysis } from "../pki/analyze.js";
import { runFilesStage } from "../pki/stage.js";
import type { FilesFacts } from "../pki/types.js";
import type { EnvFileEntry } from "../resolve/dotenv.js";
import type { ResolvedInput } from "../resolve/index.js";
import { registerSecret } from "../secrets.js";
import { type BuiltInput, buildInput, restoreDeep, syntaxOf } from "./connstring.js";
import { isAppUrlVariable, isUrlVariable } from "./detect.js";
import { dummySecretReason, findPlaceholders, hasToken, isOnlyPlaceholder } from "./placeholders.js";
import { classifyHost, farthest } from "./reach.js";
import type {
  AuditOptions,
  PartFacts,
  PartName,
  RawSetting,
  SettingFacts,
  StoredSecret,
  StoredSetting,
} from "./types.js";

export const FILE_PARAMS = ["sslrootcert", "sslcert", "sslkey", "sslcrl", "sslcrldir"] as const;

/**
 * Stands in for the application's home directory in the files stage, which always looks at the defaults under
 * ~/.postgresql/. The auditor's own home is not the application's, so the defaults must not be found; findings
 * about them are dropped and audit.root-default says what remains unchecked.
 */
const UNKNOWN_HOME = "/nonexistent/dbdoctor-audit/application-home";

export const ASSUMPTIONS = [
  "Relative certificate, key and CRL paths are resolved against the directory of the file that holds the setting, as if the application ran from there; a file that is not on this machine is checked where the setting is deployed.",
  "The application's environment is unknown: only the variables written next to the setting (same .env file, compose service, container env, ConfigMap or Secret) are applied; the auditing machine's environment, home directory and ~/.postgresql defaults are not used.",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder syntaxes, as text
  "Placeholders (${VAR}, ${VAR:-default}, $(VAR), {{ .Values.x }}, %(x)s, values from a Secret) are unknown: the rest of the value is read, the parts they fill are reported as unknown, never as values.",
  "Each setting's conninfo.effective lists what the setting and its environment set; libpq's compiled-in defaults are left out (they are the same for every setting).",
  "SKILLFLAW_DATABASE_URL and LANGFLOW_DATABASE_URL values and postgresql+driver:// URLs are read the way SQLAlchemy and psycopg read them (--url-style auto); jdbc:postgresql: URLs as pgjdbc reads them, mapped to libpq's parameters; separate keys and variable families assembled into one setting; other values by libpq's rules. Other schemes are not PostgreSQL's and are not read.",
  ".env files in one directory are taken to run on one machine (their SkillFlaw instances share its ports and home directory); services of one docker-compose file run on one machine, each in its own container.",
];

/** What the live stage needs from a setting (raw, never printed). */
export interface ProbeTarget {
  hosts: HostEntry[];
  effective: Record<string, EffectiveParam>;
}

/**
 * One setting, measured: its facts for the report, what the conninfo stage measured, where it is stored and what
 * its files hold, for the rules.
 */
export interface MeasuredSetting {
  facts: SettingFacts;
  /** Without `input` for a setting assembled from variables or parts: there is no input string to judge. */
  conninfo: Omit<ConninfoStageFacts, "input"> & Partial<Pick<ConninfoStageFacts, "input">>;
  stored: StoredSetting;
  /** The files it names, as the files stage measured them (absent when it names none). */
  files?: FileAnalysis;
  /**
   * The placeholders' texts, by token: the stages judge the value with tokens where placeholders were, and what
   * the findings say is given back with the placeholders as written (restoreDeep).
   */
  placeholderTexts: readonly string[];
}

interface FilesOutcome {
  result: StageResult<FilesFacts>;
  analysis?: FileAnalysis;
}

/**
 * A finding about one of libpq's defaults under the application's (unknown) home: the auditor's machine says
 * nothing about it, and audit.root-default says what stays unchecked.
 */
export function aboutUnknownHome(f: object): boolean {
  return JSON.stringify(f).includes(UNKNOWN_HOME);
}

export class AuditPipeline {
  private readonly exists = new Map<string, boolean>();
  private readonly contexts = new Map<string, AnalyzeContext>();
  /** Same file settings, same outcome: the files stage runs once per distinct combination. */
  private readonly filesCache = new Map<string, Promise<FilesOutcome>>();
  readonly probes = new Map<number, ProbeTarget>();

  constructor(private readonly opts: Pick<AuditOptions, "libpq" | "urlStyle" | "now" | "securityLevel" | "cwd">) {}

  private fileExists(abs: string): boolean {
    let v = this.exists.get(abs);
    if (v === undefined) {
      v = existsSync(abs);
      this.exists.set(abs, v);
    }
    return v;
  }

  /** One context per directory (libpq's file lookups resolve there) and URL style. */
  private contextFor(dir: string, urlStyle: AnalyzeContext["urlStyle"]): AnalyzeContext {
    const cacheKey = `${urlStyle}\u0000${dir}`;
    let ctx = this.contexts.get(cacheKey);
    if (ctx) return ctx;
    const at = (p: string) => resolve(dir, p);
    ctx = {
      urlStyle,
      libpq: this.opts.libpq,
      env: {},
      home: null,
      cwd: dir,
      osUser: null,
      fileExists: (p) => this.fileExists(at(p)),
      readFile: (p) => readTextOrNull(at(p), READ_CAPS.config),
      statFile: (p) => {
        try {
          const s = statSync(at(p));
          return { isFile: s.isFile(), mode: s.mode & 0o7777 };
        } catch {
          return null;
        }
      },
    };
    this.contexts.set(cacheKey, ctx);
    return ctx;
  }

  private resolvedInput(raw: RawSetting, built: BuiltInput): ResolvedInput {
    const fileVars: Record<string, EnvFileEntry> = {};
    for (const [k, v] of Object.entries(built.env)) fileVars[k] = { value: v.value, file: raw.file, line: v.line };
    const variable = raw.form === "string" || raw.form === undefined ? raw.variable : undefined;
    if (variable !== undefined) fileVars[variable] = { value: built.value, file: raw.file, line: raw.line };
    const base = { value: built.value, lookedAt: [], fileVars };
    if (variable === undefined) return { ...base, source: { kind: "argument" } };
    return {
      ...base,
      source: { kind: "env-file", file: raw.file, line: raw.line, variable },
      // A lower-case skillflaw_database_url is a finding (SkillFlaw reads the exact name).
      variable: isUrlVariable(variable) ? variable.replace(/^\ufeff/, "").toUpperCase() : variable,
    };
  }

  private filesStage(
    effective: Record<string, EffectiveParam>,
    values: Record<string, string>,
    dir: string,
  ): { outcome: Promise<FilesOutcome>; effective: Record<string, EffectiveParam> } | null {
    const named = FILE_PARAMS.filter((k) => {
      const p = effective[k];
      return (
        p !== undefined && p.value !== "" && p.source !== "default" && !(k === "sslrootcert" && p.value === "system")
      );
    });
    if (named.length === 0) return null;
    const rewritten: Record<string, EffectiveParam> = { ...effective };
    for (const k of named) {
      const p = effective[k] as EffectiveParam;
      const raw = values[k] ?? p.value;
      const path = isAbsolute(raw) ? raw : relative(this.opts.cwd, resolve(dir, raw)) || ".";
      rewritten[k] = {
        ...p,
        value: path,
        detail: raw === path ? (p.detail ?? "") : `${raw}, relative to ${relative(this.opts.cwd, dir) || "."}`,
      };
      if (rewritten[k].detail === "") delete rewritten[k].detail;
    }
    // The user only matters for the client certificate's CN, the sslpassword only for a key file.
    const key = JSON.stringify([
      rewritten.sslmode?.value ?? "",
      ...FILE_PARAMS.map((k) => rewritten[k]?.value ?? ""),
      named.includes("sslcert") ? (values.user ?? "") : "",
      named.includes("sslkey") ? (values.sslpassword ?? "") : "",
    ]);
    let outcome = this.filesCache.get(key);
    if (!outcome) {
      outcome = runFilesStage(rewritten, {
        libpq: this.opts.libpq,
        now: this.opts.now,
        securityLevel: this.opts.securityLevel,
        env: { HOME: UNKNOWN_HOME },
        ...(values.user ? { user: values.user } : {}),
        ...(values.sslpassword ? { sslpassword: values.sslpassword } : {}),
      }).then(({ result, analysis }) => ({
        result:
          result.status === "completed"
            ? {
                status: "completed",
                value: { ...result.value, files: result.value.files.filter((f) => f.origin !== "default") },
              }
            : result,
        ...(analysis ? { analysis } : {}),
      }));
      this.filesCache.set(key, outcome);
    }
    return { outcome, effective: rewritten };
  }

  async run(raw: RawSetting, id: number): Promise<MeasuredSetting> {
    const dir = dirname(resolve(this.opts.cwd, raw.file));
    const app = (raw.form ?? "string") === "string" && isAppUrlVariable(raw.variable);
    const built = buildInput(raw, app);
    // SkillFlaw's and Langflow's URL variables are read by SQLAlchemy; jdbc, parts and PG* by libpq's rules.
    const style =
      this.opts.urlStyle !== "auto" ? this.opts.urlStyle : built.reader === "sqlalchemy-auto" ? "sqlalchemy" : "auto";
    const analysis = analyzeConninfo(this.resolvedInput(raw, built), this.contextFor(dir, style));
    // Every secret is masked in every output, except a stand-in (changeme, the user name repeated): it protects
    // nothing, and masking a common word everywhere would mask file names and users too.
    for (const s of analysis.secrets) if (dummySecretReason(s, analysis.values.user) === null) registerSecret(s);
    const location = { file: raw.file, line: raw.line, column: raw.column };

    // Where the hosts are: read before the placeholders' texts go back (a token is a host nobody knows).
    const hosts = analysis.facts.hosts.map((h) => ({ host: h.host, reach: classifyHost(h.host, raw.context) }));
    if (hosts.length === 0 && analysis.facts.valid) hosts.push({ host: "", reach: "socket" });
    const facts = restoreDeep(analysis.facts, built.texts);

    let files: StageResult<FilesFacts> = {
      status: "skipped",
      reason: "the setting names no certificate, key or CRL file",
    };
    let probeEffective = analysis.facts.effective;
    let fileAnalysis: FileAnalysis | undefined;
    const fileFacts: StoredSetting["files"] = [];
    if (analysis.facts.valid || Object.keys(analysis.facts.effective).length > 0) {
      const stage = this.filesStage(analysis.facts.effective, analysis.values, dir);
      if (stage) {
        const outcome = await stage.outcome;
        files = outcome.result;
        fileAnalysis = outcome.analysis;
        probeEffective = stage.effective;
        for (const k of FILE_PARAMS) {
          const p = stage.effective[k];
          if (
            p === undefined ||
            p.source === "default" ||
            p.value === "" ||
            (k === "sslrootcert" && p.value === "system")
          )
            continue;
          fileFacts.push({ param: k, path: p.value, exists: this.fileExists(resolve(this.opts.cwd, p.value)) });
        }
      }
    }
    // A host nobody knows cannot be probed.
    if (analysis.facts.valid && !hosts.some((h) => h.reach === "unknown"))
      this.probes.set(id, { hosts: analysis.facts.hosts, effective: probeEffective });

    const example = isExampleFile(raw.file);
    const setting: SettingFacts = {
      id,
      location,
      variable: raw.variable ?? null,
      source: raw.source,
      format: facts.format,
      urlStyle: analysis.urlStyle,
      redacted: this.redacted(raw, restoreDeep(analysis.redacted, built.texts)),
      conninfo: withoutDefaults(facts),
      files,
    };
    if (raw.path !== undefined) setting.path = raw.path;
    if (raw.base64) setting.base64 = true;
    if (raw.form === "parts" || raw.form === "environment") setting.form = raw.form;
    const client = raw.client ?? (routeIsJdbc(raw) ? "jdbc" : "libpq");
    if (client !== "libpq") setting.client = client;
    const parts = partFacts(raw);
    if (Object.keys(parts).length > 0) setting.parts = parts;
    if (Object.keys(built.placeholders).length > 0) setting.placeholders = built.placeholders;
    if (Object.keys(built.notes).length > 0) setting.mapped = built.notes;
    const reach = farthest(hosts.map((h) => h.reach));
    setting.reach = reach;
    if (example) setting.example = true;
    if (raw.context?.inactive) setting.inactive = raw.context.inactive;

    const stored: StoredSetting = {
      id,
      file: raw.file,
      line: raw.line,
      column: raw.column,
      source: raw.source,
      base64: raw.base64 === true,
      form: raw.form ?? "string",
      client,
      hosts: hosts.map((h) => ({ host: restoreDeep(h.host, built.texts), reach: h.reach })),
      reach,
      example,
      ci: raw.context?.ci === true,
      placeholders: built.placeholders,
      notes: built.notes,
      secrets: this.secrets(raw, analysis.values, analysis.facts.effective, built),
      files: fileFacts,
      parts,
      effective: analysis.facts.effective,
    };
    if (raw.variable !== undefined) stored.variable = raw.variable;
    if (raw.path !== undefined) stored.path = raw.path;
    if (raw.context?.inactive) stored.inactive = raw.context.inactive;
    // A setting written only as PG* variables (or parts that are all unknown) hands libpq an empty string on
    // purpose: the input rules' "empty connection string" is about a variable someone left empty, not this.
    const { input: _input, ...stageFacts } = analysis.ruleFacts;
    return {
      facts: setting,
      conninfo: (raw.form ?? "string") === "string" ? analysis.ruleFacts : stageFacts,
      stored,
      ...(fileAnalysis ? { files: fileAnalysis } : {}),
      placeholderTexts: built.texts,
    };
  }

  /** What the report shows as the value: the string redacted, or the variables of a PG* environment. */
  private redacted(raw: RawSetting, redactedInput: string): string {
    if (raw.form === "environment") {
      return Object.entries(raw.parts ?? {})
        .map(([k, p]) => `${p.key}=${k === "password" ? "********" : p.from ? `(from ${p.from})` : p.value}`)
        .join(" ");
    }
    if (routeIsJdbc(raw)) return maskJdbc(raw.value);
    return redactedInput;
  }

  /**
   * The literal secrets the tree holds for this setting: its password (in the string, a part, or a PG* variable
   * next to it), its sslpassword, and other passwords of the same object. Each raw value is registered for the
   * output scrubber; none leaves the pipeline.
   */
  private secrets(
    raw: RawSetting,
    values: Record<string, string>,
    effective: Record<string, EffectiveParam>,
    built: BuiltInput,
  ): StoredSecret[] {
    const out: StoredSecret[] = [];
    const syntax = syntaxOf(raw);
    const user = values.user;
    for (const field of ["password", "sslpassword"] as const) {
      const v = values[field];
      const p = effective[field];
      // A value that reads as a placeholder (compose's `$${DB_PASSWORD}` hands the container that text) is no secret.
      if (v === undefined || v === "" || p === undefined || hasToken(v) || isOnlyPlaceholder(v)) continue;
      // Written as a placeholder: unknown, and it takes precedence over a PGPASSWORD next to it.
      if (built.placeholders[field] !== undefined) continue;
      const dummy = dummySecretReason(v, user);
      if (dummy === null) registerSecret(v);
      const part = raw.parts?.[field as PartName];
      if (p.source === "connstring") {
        const at = part ?? raw;
        out.push({
          field,
          location: { file: raw.file, line: at.line, column: at.column },
          dummy,
          ...(part ? { via: part.key } : {}),
        });
      } else if (p.source === "env") {
        const name = field === "password" ? "PGPASSWORD" : "PGSSLPASSWORD";
        const sib = raw.siblings?.[name];
        if (sib === undefined) continue;
        out.push({
          field,
          location: { file: raw.file, line: sib.line, column: raw.parts?.password?.column ?? 1 },
          dummy,
          via: name,
        });
      }
    }
    for (const s of raw.extraSecrets ?? []) {
      if (s.from !== undefined || s.value === "" || findPlaceholders(s.value, syntax).length > 0) continue;
      const dummy = dummySecretReason(s.value, user);
      if (dummy === null) registerSecret(s.value);
      out.push({
        field: s.key,
        location: { file: raw.file, line: s.line, column: s.column },
        dummy,
        via: s.key,
      });
    }
    return out;
  }
}

function routeIsJdbc(raw: RawSetting): boolean {
  return (raw.form ?? "string") === "string" && /^\s*jdbc:postgresql:/i.test(raw.value);
}

/** A JDBC URL as the report shows it: the password= query value masked. */
function maskJdbc(url: string): string {
  return url.replace(/([?&]password=)[^&]*/gi, "$1********");
}

/** The parts' keys and positions (never their values). */
function partFacts(raw: RawSetting): Partial<Record<PartName, PartFacts>> {
  const out: Partial<Record<PartName, PartFacts>> = {};
  for (const [k, p] of Object.entries(raw.parts ?? {}) as Array<
    [PartName, NonNullable<RawSetting["parts"]>[PartName]]
  >) {
    if (p === undefined) continue;
    const f: PartFacts = { key: p.key, line: p.line, column: p.column };
    if (p.from !== undefined) f.from = p.from;
    if (p.mapped !== undefined) f.mapped = p.mapped;
    out[k] = f;
  }
  return out;
}

/** An example or template to copy from, not a deployed file: *.example, *.sample, *.template, examples/ directories. */
export function isExampleFile(file: string): boolean {
  const f = file.replace(/\\/g, "/").toLowerCase();
  const name = f.split("/").pop() ?? f;
  if (/(?:^|[._-])(?:example|examples|sample|samples|template|tmpl|dist)(?:[._-]|$)/.test(name)) return true;
  return f
    .split("/")
    .slice(0, -1)
    .some((d) => d === "example" || d === "examples" || d === "sample" || d === "samples");
}

/**
 * The facts without libpq's compiled-in defaults (sslsni=1, gssencmode=prefer...): the same for every setting,
 * they would make most of a 10,000-setting report. Findings about defaults (sslmode.default-prefer) still appear.
 */
function withoutDefaults(facts: ConninfoFacts): ConninfoFacts {
  const effective: Record<string, EffectiveParam> = {};
  for (const [k, p] of Object.entries(facts.effective)) if (p.source !== "default") effective[k] = p;
  return { ...facts, effective };
}
