import type { DefinitionTable } from "../definition.js";

/** Findings about libpq parsing and option validation, sslmode semantics. */
export const CONNINFO_FINDINGS = {} satisfies DefinitionTable;
