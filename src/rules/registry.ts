// Every finding code is registered here exactly once, by spreading each family's table.
// A code used by a rule but missing here is a compile error (FindingCode is derived from the tables).
import type { EvidenceValue, Finding, SourceLocation } from "../report/types.js";
import type { FindingDefinition } from "./definition.js";
import { INPUT_FINDINGS } from "./definitions/input.js";

export const FINDINGS = {
  ...INPUT_FINDINGS,
} as const satisfies Record<string, FindingDefinition>;

export type FindingCode = keyof typeof FINDINGS;

export function docsAnchor(code: string): string {
  return `docs/findings.md#${code.replace(/[^a-z0-9-]/g, "-")}`;
}

export interface FindingExtras {
  hint?: string;
  evidence?: Record<string, EvidenceValue>;
  location?: SourceLocation;
}

/** Build a finding from its registered definition; severity is the code's, never the caller's. */
export function finding(code: FindingCode, subject: string, message: string, extras: FindingExtras = {}): Finding {
  const def: FindingDefinition = FINDINGS[code];
  const f: Finding = {
    code,
    severity: def.severity,
    subject,
    message,
    hint: extras.hint ?? def.hint,
    docs: docsAnchor(code),
  };
  if (extras.evidence) f.evidence = extras.evidence;
  if (extras.location) f.location = extras.location;
  return f;
}
