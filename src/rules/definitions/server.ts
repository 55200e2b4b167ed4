import type { DefinitionTable } from "../definition.js";

/** Findings about the wire-level probe of the server. */
export const SERVER_FINDINGS = {} satisfies DefinitionTable;
