// The shape of a rule (ESLint's): one module declares its codes (title, severity, message, hint, docs), its
// options with their defaults, and the `check` that judges facts into findings. The registry is derived from
// the list of rules, so a code exists exactly when a rule declares it.
import type { EvidenceValue, Finding, SettingFix, Severity, SourceLocation } from "../model/finding.js";
import type { Facts } from "./facts.js";
import type { Family } from "./families.js";

/** What a code declares once; docs/findings.md and the JSON Schema's code enum are generated from it. */
export interface CodeSpec {
  severity: Severity;
  /** Short title for tables and docs. */
  title: string;
  /** What it means, for docs/findings.md. */
  description: string;
  /**
   * The default fix; a rule may give a more concrete one naming the values. Absent for findings that only
   * record a fact (an inventory, a check that passed): they have nothing to fix.
   */
  hint?: string;
  /**
   * A code that says the same thing with more detail: when a finding with that code is in the report, this one
   * is left out (e.g. the conninfo stage's guess that the root file is missing, once the files stage looked).
   */
  supersededBy?: string;
  /**
   * The reverse of supersededBy, declared by the code that replaces: when a finding with this code is in the list,
   * findings with these codes are left out. A rule whose context knows more (the audit's review of a stored
   * setting knows whether the host is local) replaces another family's generic finding without that family
   * having to name it.
   */
  supersedes?: readonly string[];
  /**
   * The other severities a rule may report this code at (FindingExtras.severity), where its context makes the same
   * fact weigh less (the audit's review: an example file, a local host). Reports are checked against the declared
   * severity and these.
   */
  reportedAs?: readonly Severity[];
}

/** A user-settable option of a rule (e.g. warnDays), with the value used when nobody sets it. */
export interface OptionSpec<T> {
  default: T;
  description: string;
}

export type OptionSpecs<Options> = { readonly [K in keyof Options]: OptionSpec<Options[K]> };

export interface FindingExtras {
  /** A more concrete fix than the declared hint, naming the values. */
  hint?: string;
  evidence?: Record<string, EvidenceValue>;
  location?: SourceLocation;
  /**
   * Where a rule's declared options say so (a review policy, a context that makes the same fact harmless), the
   * severity may differ from the declared one; the declaration is the default and what the docs show.
   */
  severity?: Severity;
  /** The corrected setting to paste, when the rule can write it (verified: false unless a live attempt confirmed it). */
  fix?: SettingFix;
}

export interface RuleContext<Code extends string, Options> {
  options: Options;
  /** Adds a finding of one of this rule's own codes: severity, docs and the default hint come from its spec. */
  report(code: Code, subject: string, message: string, extras?: FindingExtras): void;
}

export interface Rule<Code extends string = string, Options = unknown> {
  /** "<family>/<name>"; the rule lives in src/rules/<family>/<name>.ts and is tested in test/unit/rules/<family>/<name>.test.ts. */
  id: string;
  family: Family;
  codes: { readonly [K in Code]: CodeSpec };
  options: OptionSpecs<Options>;
  /** Judges the facts it needs; returns without a word when they are absent (another command, a skipped stage). */
  check(facts: Facts, context: RuleContext<Code, Options>): void;
}

/** Declares a rule; `const` keeps each code a literal so the registry's code union is exact. */
export function defineRule<const Codes extends Record<string, CodeSpec>, Options = Record<never, never>>(rule: {
  id: string;
  family: Family;
  codes: Codes;
  options?: OptionSpecs<Options>;
  check(facts: Facts, context: RuleContext<keyof Codes & string, Options>): void;
}): Rule<keyof Codes & string, Options> {
  return { ...rule, options: rule.options ?? ({} as OptionSpecs<Options>) };
}

export type CodesOf<R> = R extends Rule<infer C, infer _O> ? C : never;

/** The docs anchor a finding's `docs` field points at. */
export function docsAnchor(code: string): string {
  return `docs/findings.md#${code.replace(/[^a-z0-9-]/g, "-")}`;
}

/** Builds one finding from its spec; used by the rules pass and by the few places that report outside it. */
export function makeFinding<C extends string>(
  code: C,
  spec: CodeSpec,
  subject: string,
  message: string,
  extras: FindingExtras = {},
): Finding<C> {
  const f: Finding<C> = {
    code,
    severity: extras.severity ?? spec.severity,
    subject,
    message,
    docs: docsAnchor(code),
  };
  const hint = extras.hint ?? spec.hint;
  if (hint) f.hint = hint;
  if (extras.evidence) f.evidence = extras.evidence;
  if (extras.location) f.location = extras.location;
  if (extras.fix) f.fix = extras.fix;
  return f;
}
