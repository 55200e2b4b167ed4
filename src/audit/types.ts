// The audit stage's facts: what the extractors read (raw, internal), the problems they met, each setting as
// measured (redacted) and where it is stored. The report around them is src/report/audit.ts.
import type { ConninfoFacts, EffectiveParam } from "../conninfo/types.js";
import type { SourceLocation } from "../model/finding.js";
import type { FailOn, LibpqMajor, UrlStyle } from "../model/options.js";
import type { StageResult } from "../model/stage.js";
import type { FilesFacts } from "../pki/types.js";
import type { ServerFacts } from "../probe/types.js";

/** How a setting's file was read. */
export type SourceKind =
  | "dotenv"
  | "compose"
  | "kubernetes-env"
  | "kubernetes-configmap"
  | "kubernetes-secret"
  | "helm-values"
  | "yaml"
  | "text";

/** A connection setting as an extractor found it. `value` is raw and may hold secrets: it never leaves the pipeline. */
export interface RawSetting {
  file: string;
  line: number;
  /** 1-based, in UTF-16 code units (SARIF's default columnKind), of the value's first character. */
  column: number;
  /** The variable or key that holds the value; undefined for a URL found in plain text. */
  variable?: string;
  /** The YAML path of the value (Helm values, generic YAML), e.g. `database.url` or `spec.containers[0].env[1]`. */
  path?: string;
  source: SourceKind;
  value: string;
  /** Decoded from base64 (a Kubernetes Secret's `data`). */
  base64?: boolean;
  /** Other variables that the application sees next to this one (same .env file, compose service, container). */
  siblings?: Record<string, { value: string; line: number }>;
}

/** A problem met while reading a file (not with one setting in it). */
export interface FileProblem {
  file: string;
  line?: number;
  column?: number;
  /**
   * unparseable: a YAML syntax error; unreadable: the file could not be read or decoded; dotenv: a statement
   * python-dotenv skips (the rest of the file is still read).
   */
  kind: "unparseable" | "unreadable" | "dotenv";
  /** What the reader said: the parser's error, the reason the file could not be read, python-dotenv's warning. */
  message: string;
}

export interface ExtractResult {
  settings: RawSetting[];
  problems: FileProblem[];
}

/** One setting as the audit measured it: where it is, how it was read, its (redacted) facts. */
export interface SettingFacts {
  /** Position in the report's `settings`, for cross references (servers[].settings). */
  id: number;
  location: SourceLocation & { line: number; column: number };
  variable: string | null;
  path?: string;
  source: SourceKind;
  /** Decoded from base64 data before it was read. */
  base64?: boolean;
  /** How libpq/SQLAlchemy read the value: uri, keyword-value or sqlalchemy-url. */
  format: ConninfoFacts["format"];
  urlStyle: "sqlalchemy" | "libpq";
  /** The value with every secret masked. */
  redacted: string;
  conninfo: ConninfoFacts;
  files: StageResult<FilesFacts>;
}

/** Where and how one setting is stored, as the audit family's rules judge it (never the raw value). */
export interface StoredSetting {
  file: string;
  line: number;
  variable?: string;
  source: SourceKind;
  /** Decoded from a Secret's base64 `data`. */
  base64: boolean;
  /**
   * The secrets written literally in the value itself: not a placeholder (`${DB_PASSWORD}`, `<password>`) and not
   * taken from the variables around it.
   */
  literalSecrets: Array<"password" | "sslpassword">;
  /** The parameters as the setting and the variables next to it set them (libpq's compiled-in defaults included). */
  effective: Readonly<Record<string, EffectiveParam>>;
}

/** The audit's part of the rules' facts: what reading one file met, or one stored setting. */
export interface AuditFacts {
  problems?: readonly FileProblem[];
  setting?: StoredSetting;
}

export interface AuditServer {
  host: string;
  port: number;
  hostaddr?: string;
  /** Ids of the settings that point at this endpoint with the same TLS settings. */
  settings: number[];
  result: StageResult<ServerFacts>;
}

export interface AuditOptions {
  paths: string[];
  include: string[];
  exclude: string[];
  live: boolean;
  concurrency: number;
  libpq: LibpqMajor;
  urlStyle: UrlStyle;
  timeoutMs: number;
  /** The whole live stage (--deadline); default DEADLINE_FACTOR × timeoutMs. */
  deadlineMs?: number;
  failOn: FailOn;
  warnDays: number;
  /** The modelled client's OpenSSL security level, for chain verdicts (the certificate rules' choice). */
  securityLevel: number;
  now: Date;
  cwd: string;
}
