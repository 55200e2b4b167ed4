// Where a finding about the connection string points: the --env-file line it was read from, if any. Shared by
// the input, url and env rules.

import type { VariableOrigin } from "../conninfo/types.js";
import type { SourceLocation } from "../model/finding.js";
import type { InputSource } from "../model/input.js";

/** The .env line the string was read from, as a finding's location. */
export function inputLocation(source: InputSource | undefined): { location?: SourceLocation } {
  return source?.kind === "env-file" ? { location: { file: source.file, line: source.line } } : {};
}

/** "SKILLFLAW_DATABASE_URL (.env:3)", "X in the environment", or "the connection string". */
export function describeInput(source: InputSource | undefined): string {
  if (source?.kind === "env-file") return `${source.variable} (${source.file}:${source.line})`;
  if (source?.kind === "env") return `${source.variable} in the environment`;
  return "the connection string";
}

/** ".env:5" or "the environment", and the location when it is a file line. */
export function originOf(v: VariableOrigin): { where: string; location?: SourceLocation } {
  if (v.file !== undefined && v.line !== undefined)
    return { where: `${v.file}:${v.line}`, location: { file: v.file, line: v.line } };
  return { where: "the environment" };
}
