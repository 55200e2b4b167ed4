// Every ops rule reads the operations facts through `skillflawOps`: the one place that decides whether SkillFlaw's
// rules apply to this run. They do for SkillFlaw targets only (the value came from SKILLFLAW_DATABASE_URL or an
// --env-file, or --app skillflaw; `instances` always): a plain libpq string given as an argument is judged as
// generic libpq, not with SkillFlaw's default pool of 50 connections per process.
import type { SourceLocation } from "../../model/finding.js";
import type { OpsFacts } from "../../ops/types.js";
import type { Facts } from "../facts.js";

export function skillflawOps(facts: Facts): OpsFacts | undefined {
  return facts.app === "libpq" ? undefined : facts.ops;
}

/** " (.env:3)" or " (environment)": where a variable was set, for a message. */
export function where(location: SourceLocation | undefined): string {
  return location ? ` (${location.file}:${location.line ?? "?"})` : " (environment)";
}

/** The finding's location, when the variable came from a file. */
export function at(location: SourceLocation | undefined): { location: SourceLocation } | Record<string, never> {
  return location ? { location } : {};
}
