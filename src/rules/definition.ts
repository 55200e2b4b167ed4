import type { Severity } from "../report/types.js";

/** What every finding code declares once: the registry is the single source for docs/findings.md. */
export interface FindingDefinition {
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
   * A code that says the same thing with more detail when another stage ran: when a finding with that code is in
   * the report, this one is left out (e.g. the conninfo stage's guess that the root file is missing, once the
   * files stage has looked at the file).
   */
  supersededBy?: string;
}

export type DefinitionTable = Record<string, FindingDefinition>;
