// The report model: typed facts from each stage, findings from the rules, one verdict.
// Renderers read only this; stages never print.

export type Severity = "error" | "warning" | "info";

/** Where a finding points into the user's input (a .env file line, a config file). */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export type EvidenceValue = string | number | boolean | null | string[];

export interface Finding {
  /** Stable dotted id, registered once in src/rules/registry.ts. */
  code: string;
  severity: Severity;
  /** What the finding is about: a parameter, a file path, a host, an sslmode. */
  subject: string;
  /** One sentence naming the concrete (redacted) values. */
  message: string;
  hint?: string;
  /** docs/findings.md anchor. */
  docs?: string;
  evidence?: Record<string, EvidenceValue>;
  location?: SourceLocation;
}

/** A stage that could not run is not a pass: it says so, with the reason. */
export type StageResult<T> =
  | { status: "completed"; value: T }
  | { status: "skipped"; reason: string }
  | { status: "error"; reason: string };

export const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

export function isSslMode(value: string): value is SslMode {
  return (SSL_MODES as readonly string[]).includes(value);
}

/** One session attempt under one sslmode, as libpq would make it. */
export interface ModeResult {
  sslmode: SslMode;
  /** Would libpq establish a session? null only when it could not be decided (message says why). */
  ok: boolean | null;
  /** The stage where the attempt ended: "dns", "tcp", "sslrequest", "tls", "verify", "hostname", "auth", "session", "config". */
  stage: string;
  code?: string;
  message?: string;
  credentialsSent: boolean;
  /** Whether the session (or the attempt that decided it) was encrypted. */
  encrypted?: boolean;
  tls?: { protocol: string; cipher: string };
  durationMs?: number;
}

export type VerdictStatus = "pass" | "warn" | "fail";

export interface Verdict {
  status: VerdictStatus;
  configuredMode: SslMode | null;
  /** null when no live attempt decided it (offline, or the attempt could not be decided). */
  configuredModeOk: boolean | null;
  strongestOkMode: SslMode | null;
  summary: string;
}

export type InputSource =
  | { kind: "argument" }
  | { kind: "env-file"; file: string; line: number; variable: string }
  | { kind: "env"; variable: string }
  | { kind: "none" };

export interface InputFacts {
  source: InputSource;
  /** The connection string with secrets replaced, as given. */
  redacted: string | null;
  urlStyle: "sqlalchemy" | "libpq";
  libpqMajor: number;
}
