import type { DefinitionTable } from "../definition.js";

/** Findings about certificate, key, CA and CRL files. */
export const FILES_FINDINGS = {} satisfies DefinitionTable;
