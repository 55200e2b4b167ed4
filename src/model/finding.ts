// The finding shape every rule returns and every renderer reads. The code is a type parameter: the rule registry
// (src/rules/registry.ts) instantiates it with the union of registered codes, so the kernel never imports a rule.

export type Severity = "error" | "warning" | "info";

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/** Sorts by descending severity (errors first). */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[b] - SEVERITY_RANK[a];
}

export function worstSeverity(findings: readonly { severity: Severity }[]): Severity | null {
  let worst: Severity | null = null;
  for (const f of findings) if (worst === null || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}

/** Where a finding points into the user's input (a .env file line, a config file). */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export type EvidenceValue = string | number | boolean | null | string[];

/**
 * A corrected setting to paste: the whole `.env` line (`SKILLFLAW_DATABASE_URL=...`) or the keyword/value string,
 * with any secret still masked. `verified` only when a live attempt of this run confirmed it under the credential
 * policy.
 */
export interface SettingFix {
  /** What to change: the variable (SKILLFLAW_DATABASE_URL, SKILLFLAW_DB_CONNECTION_SETTINGS) or "connection string". */
  setting: string;
  value: string;
  verified: boolean;
}

export interface Finding<Code extends string = string> {
  /** Stable dotted id, declared by exactly one rule module. */
  code: Code;
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
  /** The code of the root finding this one is a symptom of (a network failure caused by a misread URL). */
  causedBy?: string;
  /** The corrected setting, when the rule can write it out. */
  fix?: SettingFix;
}
