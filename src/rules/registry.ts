// Every finding code is registered here exactly once, by spreading each family's table.
// A code used by a rule but missing here is a compile error (FindingCode is derived from the tables).
import type { EvidenceValue, Finding, SourceLocation } from "../report/types.js";
import type { FindingDefinition } from "./definition.js";
import { CONNINFO_FINDINGS } from "./definitions/conninfo.js";
import { ENV_FINDINGS } from "./definitions/env.js";
import { FILES_FINDINGS } from "./definitions/files.js";
import { INPUT_FINDINGS } from "./definitions/input.js";
import { MODES_FINDINGS } from "./definitions/modes.js";
import { SERVER_FINDINGS } from "./definitions/server.js";
import { URL_FINDINGS } from "./definitions/url.js";

export const FINDINGS = {
  ...INPUT_FINDINGS,
  ...CONNINFO_FINDINGS,
  ...URL_FINDINGS,
  ...ENV_FINDINGS,
  ...FILES_FINDINGS,
  ...SERVER_FINDINGS,
  ...MODES_FINDINGS,
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
