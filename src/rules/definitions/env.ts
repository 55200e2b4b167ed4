import type { DefinitionTable } from "../definition.js";

/** Findings about .env files and environment variables. */
export const ENV_FINDINGS = {} satisfies DefinitionTable;
