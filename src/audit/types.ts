// The audit model: what discovery found, what the extractors read (raw, internal), and the report (redacted).
import type { UrlStyle } from "../cli/options.js";
import type { ConninfoFacts, LibpqMajor } from "../conninfo/types.js";
import type { FilesFacts } from "../pki/types.js";
import type { ServerFacts } from "../probe/types.js";
import type { FailOn } from "../report/report.js";
import type { Finding, Severity, SourceLocation, StageResult, VerdictStatus } from "../report/types.js";

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

/** A problem with a file itself (not with one setting in it). */
export interface FileProblem {
  file: string;
  line?: number;
  column?: number;
  /** dotenv: a statement python-dotenv skips (the rest of the file is still read). */
  kind: "unparseable" | "unreadable" | "dotenv";
  message: string;
}

export interface ExtractResult {
  settings: RawSetting[];
  problems: FileProblem[];
}

export interface AuditSetting {
  /** Position in `settings`, for cross references (servers[].settings). */
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
  findings: Finding[];
}

export interface AuditServer {
  host: string;
  port: number;
  hostaddr?: string;
  /** Ids of the settings that point at this endpoint with the same TLS settings. */
  settings: number[];
  result: StageResult<ServerFacts>;
}

export interface AuditSummary {
  files: number;
  settings: number;
  errors: number;
  warnings: number;
  infos: number;
  byRule: Record<string, number>;
  skipped: number;
}

export interface AuditReport {
  schemaVersion: 1;
  tool: { name: "dbdoctor"; version: string };
  command: "audit";
  generatedAt: string;
  inputs: {
    paths: string[];
    include: string[];
    exclude: string[];
    live: boolean;
    libpqMajor: number;
    /** How relative paths and the environment were modelled (the report states its assumptions). */
    assumptions: string[];
  };
  /** Every file read, relative to the working directory. */
  files: Array<{ path: string; kind: SourceKind | "other"; settings: number }>;
  skipped: Array<{ path: string; reason: string }>;
  settings: AuditSetting[];
  /** Findings about files rather than settings (syntax errors, unreadable files). */
  fileFindings: Finding[];
  servers: AuditServer[];
  summary: AuditSummary;
  verdict: { status: VerdictStatus; failOn: FailOn; summary: string };
  timings: Record<string, number>;
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
  now: Date;
  cwd: string;
}

export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];
