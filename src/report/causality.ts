// The verdict comes from the root cause. Findings are ordered by causality: the families run in pipeline order
// (src/rules/families.ts: input and parse before files before the network), so the first finding of the worst
// severity is the earliest thing that went wrong. A network failure after an input, parse or file error is its
// symptom (a host name that is really the tail of an unescaped password, a verify-full that fails because the root
// file is missing): it names its cause via `causedBy`, and the verdict states the cause and its one fix.
import { SEVERITY_RANK, worstSeverity } from "../model/finding.js";
import { FAMILIES, type Family, type Finding, familyOfCode, isFindingCode } from "../rules/registry.js";

/** Families whose errors happen before any byte goes to the server. */
const BEFORE_NETWORK: ReadonlySet<Family> = new Set(["input", "conninfo", "url", "env", "files"]);
/** Families that report what happened on the wire: symptoms when an earlier layer is already broken. */
const NETWORK: ReadonlySet<Family> = new Set(["server", "modes"]);

/** Whether a finding is about something that went wrong before any byte went to the server. */
export function beforeNetwork(f: Finding): boolean {
  return isFindingCode(f.code) && BEFORE_NETWORK.has(familyOfCode(f.code));
}

function familyIndex(f: Finding): number {
  return isFindingCode(f.code) ? FAMILIES.indexOf(familyOfCode(f.code)) : FAMILIES.length;
}

/** The findings in causal order (stable within a family: the rules' report order). */
export function causalOrder<F extends Finding>(findings: readonly F[]): F[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => familyIndex(a.f) - familyIndex(b.f) || a.i - b.i)
    .map(({ f }) => f);
}

/** The root finding: the earliest (in causal order) of the worst severity, warnings and errors only. */
export function rootFinding<F extends Finding>(findings: readonly F[]): F | undefined {
  const worst = worstSeverity(findings);
  if (worst === null || SEVERITY_RANK[worst] < SEVERITY_RANK.warning) return undefined;
  return causalOrder(findings).find((f) => f.severity === worst);
}

/** Marks the network symptoms of a root error that happened before the network. */
export function linkCauses<F extends Finding>(findings: readonly F[]): F[] {
  const root = rootFinding(findings);
  if (root?.severity !== "error" || !isFindingCode(root.code) || !BEFORE_NETWORK.has(familyOfCode(root.code)))
    return [...findings];
  return findings.map((f) =>
    f !== root && f.severity !== "info" && isFindingCode(f.code) && NETWORK.has(familyOfCode(f.code))
      ? { ...f, causedBy: root.code }
      : f,
  );
}
