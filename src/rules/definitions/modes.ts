import type { DefinitionTable } from "../definition.js";

/** Findings about the sslmode matrix of live attempts. */
export const MODES_FINDINGS = {} satisfies DefinitionTable;
