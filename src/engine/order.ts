// While the files and server stages still report their own findings beside the rules pass's, a command puts them
// in pipeline order: by the family that declares each code (FAMILIES), stable within a family. Once every family
// is judged by judge(), its output is already in that order.
import { FAMILIES, type Finding, familyOfCode } from "../rules/registry.js";

export function inFamilyOrder(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding) => FAMILIES.indexOf(familyOfCode(f.code));
  return findings
    .map((f, i) => [f, i] as const)
    .sort(([a, i], [b, j]) => rank(a) - rank(b) || i - j)
    .map(([f]) => f);
}
