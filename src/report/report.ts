import type { ConninfoFacts } from "../conninfo/types.js";
import type { OpsFacts } from "../ops/types.js";
import type { FilesFacts } from "../pki/types.js";
import type { ServerFacts } from "../probe/types.js";
import type { Finding, InputFacts, ModeResult, Severity, StageResult, Verdict } from "./types.js";

export type CommandName = "check" | "parse" | "certs" | "server" | "instances" | "audit";

export interface Report {
  schemaVersion: 1;
  tool: { name: "dbdoctor"; version: string };
  command: CommandName;
  generatedAt: string;
  input: InputFacts;
  conninfo: ConninfoFacts | null;
  files: StageResult<FilesFacts>;
  server: StageResult<ServerFacts>;
  modes: ModeResult[];
  /** SkillFlaw operations: pool settings, cloud provider, and (live) version, slots, schema, clients. */
  ops?: StageResult<OpsFacts>;
  findings: Finding[];
  verdict: Verdict;
  /** Milliseconds per stage. */
  timings: Record<string, number>;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export type FailOn = "error" | "warning" | "never";

/** DESIGN.md exit codes: 1 when a finding is at or above --fail-on, else 0. (2 is for "could not do the job".) */
export function exitCodeFor(findings: readonly Finding[], failOn: FailOn): 0 | 1 {
  if (failOn === "never") return 0;
  const threshold = SEVERITY_RANK[failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[b] - SEVERITY_RANK[a];
}

export function worstSeverity(findings: readonly Finding[]): Severity | null {
  let worst: Severity | null = null;
  for (const f of findings) if (worst === null || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}
