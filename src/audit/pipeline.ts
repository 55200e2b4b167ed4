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
import { isPlaceholderSecret, isUrlVariable } from "./detect.js";
import type { AuditOptions, RawSetting, SettingFacts, StoredSetting } from "./types.js";

export const FILE_PARAMS = ["sslrootcert", "sslcert", "sslkey", "sslcrl", "sslcrldir"] as const;

/**
 * Stands in for the application's home directory in the files stage, which always looks at the defaults under
 * ~/.postgresql/. The auditor's own home is not the application's, so the defaults must not be found; findings
 * about them are dropped and audit.root-default says what remains unchecked.
 */
const UNKNOWN_HOME = "/nonexistent/dbdoctor-audit/application-home";

export const ASSUMPTIONS = [
  "Relative certificate, key and CRL paths are resolved against the directory of the file that holds the setting, as if the application ran from there.",
  "The application's environment is unknown: only the variables written next to the setting (same .env file, compose service, container env, ConfigMap or Secret) are applied; the auditing machine's environment, home directory and ~/.postgresql defaults are not used.",
  "Each setting's conninfo.effective lists what the setting and its environment set; libpq's compiled-in defaults are left out (they are the same for every setting).",
  "SKILLFLAW_DATABASE_URL values and postgresql+driver:// URLs are read the way SQLAlchemy and psycopg read them (--url-style auto); other values by libpq's rules.",
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
  conninfo: ConninfoStageFacts;
  stored: StoredSetting;
  /** The files it names, as the files stage measured them (absent when it names none). */
  files?: FileAnalysis;
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
  /** Settings of one file share their siblings object: filter it once. */
  private readonly environments = new WeakMap<object, Record<string, EnvFileEntry>>();

  constructor(private readonly opts: Pick<AuditOptions, "libpq" | "urlStyle" | "now" | "securityLevel" | "cwd">) {}

  private fileExists(abs: string): boolean {
    let v = this.exists.get(abs);
    if (v === undefined) {
      v = existsSync(abs);
      this.exists.set(abs, v);
    }
    return v;
  }

  /** One context per directory: libpq's file lookups resolve there. */
  private contextFor(dir: string): AnalyzeContext {
    let ctx = this.contexts.get(dir);
    if (ctx) return ctx;
    const at = (p: string) => resolve(dir, p);
    ctx = {
      urlStyle: this.opts.urlStyle,
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
    this.contexts.set(dir, ctx);
    return ctx;
  }

  /** Only what libpq and SkillFlaw read from the environment: PG* variables and SkillFlaw's own settings. */
  private environmentOf(raw: RawSetting): Record<string, EnvFileEntry> {
    const siblings = raw.siblings;
    if (siblings === undefined) return {};
    let env = this.environments.get(siblings);
    if (env === undefined) {
      env = {};
      for (const [k, v] of Object.entries(siblings))
        if (/^PG[A-Z_]+$/.test(k) || k.startsWith("SKILLFLAW_"))
          env[k] = { value: v.value, file: raw.file, line: v.line };
      this.environments.set(siblings, env);
    }
    return env;
  }

  private resolvedInput(raw: RawSetting): ResolvedInput {
    const fileVars: Record<string, EnvFileEntry> = { ...this.environmentOf(raw) };
    const variable = raw.variable;
    if (variable !== undefined) fileVars[variable] = { value: raw.value, file: raw.file, line: raw.line };
    const base = { value: raw.value, lookedAt: [], fileVars };
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
    const analysis = analyzeConninfo(this.resolvedInput(raw), this.contextFor(dir));
    for (const s of analysis.secrets) registerSecret(s);
    const facts = analysis.facts;
    const location = { file: raw.file, line: raw.line, column: raw.column };

    let files: StageResult<FilesFacts> = {
      status: "skipped",
      reason: "the setting names no certificate, key or CRL file",
    };
    let probeEffective = facts.effective;
    let fileAnalysis: FileAnalysis | undefined;
    if (facts.valid || Object.keys(facts.effective).length > 0) {
      const stage = this.filesStage(facts.effective, analysis.values, dir);
      if (stage) {
        const outcome = await stage.outcome;
        files = outcome.result;
        fileAnalysis = outcome.analysis;
        probeEffective = stage.effective;
      }
    }
    if (facts.valid) this.probes.set(id, { hosts: facts.hosts, effective: probeEffective });

    const setting: SettingFacts = {
      id,
      location,
      variable: raw.variable ?? null,
      source: raw.source,
      format: facts.format,
      urlStyle: analysis.urlStyle,
      redacted: analysis.redacted,
      conninfo: withoutDefaults(facts),
      files,
    };
    if (raw.path !== undefined) setting.path = raw.path;
    if (raw.base64) setting.base64 = true;
    return {
      facts: setting,
      conninfo: analysis.ruleFacts,
      stored: storedSetting(raw, analysis.values, facts.effective),
      ...(fileAnalysis ? { files: fileAnalysis } : {}),
    };
  }
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

/** Where and how the setting is stored: which secrets it writes literally (the raw values stay here). */
export function storedSetting(
  raw: RawSetting,
  values: Record<string, string>,
  effective: Record<string, EffectiveParam>,
): StoredSetting {
  const literalSecrets = (["password", "sslpassword"] as const).filter((k) => {
    const v = values[k];
    const p = effective[k];
    return v !== undefined && v !== "" && p !== undefined && p.source === "connstring" && !isPlaceholderSecret(v);
  });
  const stored: StoredSetting = {
    file: raw.file,
    line: raw.line,
    source: raw.source,
    base64: raw.base64 === true,
    literalSecrets,
    effective,
  };
  if (raw.variable !== undefined) stored.variable = raw.variable;
  return stored;
}
