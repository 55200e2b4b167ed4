// The registry, derived from the rules: a code exists exactly when one rule module declares it, and FindingCode is
// the union of those declarations (a finding with an undeclared code is a compile error).
//
// Transition: families not yet converted to rule modules keep their definition tables (LEGACY_TABLES) and build
// findings with `finding()`; their codes are part of the same union and the same docs.
import type { EvidenceValue, Finding as FindingShape, SourceLocation } from "../model/finding.js";
import { AUDIT_RULES } from "./audit/index.js";
import { CERTS_RULES } from "./certs/index.js";
import { CONNINFO_RULES } from "./conninfo/index.js";
import { ENV_RULES } from "./env/index.js";
import type { Facts } from "./facts.js";
import { FAMILIES, type Family } from "./families.js";
import { FILES_RULES } from "./files/index.js";
import { INPUT_RULES } from "./input/index.js";
import { MODES_RULES } from "./modes/index.js";
import { OPS_RULES } from "./ops/index.js";
import { POOLER_RULES } from "./pooler/index.js";
import { type CodeSpec, type CodesOf, docsAnchor, type FindingExtras, makeFinding, type Rule } from "./rule.js";
import { SERVER_RULES } from "./server/index.js";
import { URL_RULES } from "./url/index.js";

export { docsAnchor, FAMILIES, type Family };

/** Every rule, in pipeline order (the order their findings appear in before renderers sort them). */
export const RULES = [
  ...INPUT_RULES,
  ...CONNINFO_RULES,
  ...URL_RULES,
  ...ENV_RULES,
  ...FILES_RULES,
  ...CERTS_RULES,
  ...SERVER_RULES,
  ...MODES_RULES,
  ...OPS_RULES,
  ...POOLER_RULES,
  ...AUDIT_RULES,
] as const;

const LEGACY_TABLES = {} as const;

type LegacyCode = { [F in keyof typeof LEGACY_TABLES]: keyof (typeof LEGACY_TABLES)[F] }[keyof typeof LEGACY_TABLES];
export type RuleCode = CodesOf<(typeof RULES)[number]>;
export type FindingCode = RuleCode | LegacyCode;

/** A finding whose code is a registered one: what reports carry. */
export type Finding = FindingShape<FindingCode>;

export interface RegisteredCode extends CodeSpec {
  family: Family;
  /** The rule module that declares it (absent for codes still in a family table). */
  rule?: string;
}

function buildCodes(): Record<FindingCode, RegisteredCode> {
  const out: Record<string, RegisteredCode> = {};
  const add = (code: string, spec: CodeSpec, family: Family, rule?: string) => {
    if (Object.hasOwn(out, code)) throw new Error(`finding code ${code} is declared twice`);
    out[code] = { ...spec, family, ...(rule ? { rule } : {}) };
  };
  for (const rule of RULES as readonly Rule<string, unknown>[])
    for (const [code, spec] of Object.entries(rule.codes) as [string, CodeSpec][])
      add(code, spec, rule.family, rule.id);
  for (const [family, table] of Object.entries(LEGACY_TABLES) as [Family, Record<string, CodeSpec>][])
    for (const [code, spec] of Object.entries(table)) add(code, spec, family);
  return out as Record<FindingCode, RegisteredCode>;
}

/** Every registered code with its spec and family, in family (pipeline) order. */
export const CODES: Readonly<Record<FindingCode, RegisteredCode>> = (() => {
  const all = buildCodes();
  const ordered: Record<string, RegisteredCode> = {};
  for (const family of FAMILIES)
    for (const [code, spec] of Object.entries(all) as [FindingCode, RegisteredCode][])
      if (spec.family === family) ordered[code] = spec;
  return ordered as Record<FindingCode, RegisteredCode>;
})();

export function isFindingCode(code: string): code is FindingCode {
  return Object.hasOwn(CODES, code);
}

export function familyOfCode(code: FindingCode): Family {
  return CODES[code].family;
}

/** Builds a finding of a code still declared in a family table (rule modules use their context's `report`). */
export function finding(code: FindingCode, subject: string, message: string, extras: FindingExtras = {}): Finding {
  return makeFinding<FindingCode>(code, CODES[code], subject, message, extras);
}

export type { EvidenceValue, FindingExtras, SourceLocation };

/** User-settable rule options by name (e.g. warnDays); each rule reads only the ones it declares. */
export type RuleSettings = Readonly<Record<string, unknown>>;

/** One rules pass over a command's facts: every rule, in order, with its options resolved from the settings. */
export function judge(facts: Facts, settings: RuleSettings = {}): Finding[] {
  const out: Finding[] = [];
  for (const rule of RULES as readonly Rule<FindingCode, Record<string, unknown>>[]) {
    const options: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(rule.options) as [string, { default: unknown }][])
      options[name] = settings[name] ?? spec.default;
    rule.check(facts, {
      options,
      report: (code, subject, message, extras) =>
        out.push(makeFinding<FindingCode>(code, CODES[code], subject, message, extras)),
    });
  }
  return out;
}

/**
 * Leaves out every finding whose spec names a superseding code that the list also holds, and every finding whose
 * code a present finding's spec says it supersedes.
 */
export function dropSuperseded<F extends FindingShape>(findings: readonly F[]): F[] {
  const present = new Set(findings.map((f) => f.code));
  const replaced = new Set<string>();
  for (const code of present)
    for (const c of isFindingCode(code) ? (CODES[code].supersedes ?? []) : []) replaced.add(c);
  return findings.filter((f) => {
    if (replaced.has(f.code)) return false;
    const by = isFindingCode(f.code) ? CODES[f.code].supersededBy : undefined;
    return by === undefined || !present.has(by);
  });
}
