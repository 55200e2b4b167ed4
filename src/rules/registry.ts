// Every finding code is registered here exactly once, by spreading each family's table.
// A code used by a rule but missing here is a compile error (FindingCode is derived from the tables).
import type { EvidenceValue, Finding, SourceLocation } from "../report/types.js";
import type { FindingDefinition } from "./definition.js";
import { AUDIT_FINDINGS } from "./definitions/audit.js";
import { CONNINFO_FINDINGS } from "./definitions/conninfo.js";
import { ENV_FINDINGS } from "./definitions/env.js";
import { FILES_FINDINGS } from "./definitions/files.js";
import { INPUT_FINDINGS } from "./definitions/input.js";
import { MODES_FINDINGS } from "./definitions/modes.js";
import { OPS_FINDINGS } from "./definitions/ops.js";
import { SERVER_FINDINGS } from "./definitions/server.js";
import { URL_FINDINGS } from "./definitions/url.js";

/**
 * The family tables, in pipeline order. Reports group findings by family (src/report/renderers/families.ts) and
 * docs/findings.md lists them in this order; a new family is one table file and one line here.
 */
export const FAMILY_TABLES = {
  input: INPUT_FINDINGS,
  conninfo: CONNINFO_FINDINGS,
  url: URL_FINDINGS,
  env: ENV_FINDINGS,
  files: FILES_FINDINGS,
  server: SERVER_FINDINGS,
  modes: MODES_FINDINGS,
  ops: OPS_FINDINGS,
  audit: AUDIT_FINDINGS,
} as const;

export type Family = keyof typeof FAMILY_TABLES;

export const FINDINGS = {
  ...INPUT_FINDINGS,
  ...CONNINFO_FINDINGS,
  ...URL_FINDINGS,
  ...ENV_FINDINGS,
  ...FILES_FINDINGS,
  ...SERVER_FINDINGS,
  ...MODES_FINDINGS,
  ...OPS_FINDINGS,
  ...AUDIT_FINDINGS,
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
  const f: Finding = { code, severity: def.severity, subject, message, docs: docsAnchor(code) };
  const hint = extras.hint ?? def.hint;
  if (hint) f.hint = hint;
  if (extras.evidence) f.evidence = extras.evidence;
  if (extras.location) f.location = extras.location;
  return f;
}

/** Leaves out every finding whose definition names a superseding code that the list also holds. */
export function dropSuperseded(findings: readonly Finding[]): Finding[] {
  const present = new Set(findings.map((f) => f.code));
  return findings.filter((f) => {
    const by = (FINDINGS as Record<string, FindingDefinition>)[f.code]?.supersededBy;
    return by === undefined || !present.has(by);
  });
}
