import type { DefinitionTable } from "../definition.js";

/** Findings about the SQLAlchemy URL layer and SkillFlaw URL conventions. */
export const URL_FINDINGS = {} satisfies DefinitionTable;
