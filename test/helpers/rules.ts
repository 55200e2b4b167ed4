// Table-driven tests for one rule module (ESLint's RuleTester): each case gives facts and the findings expected;
// after the table, the rule's every code must have appeared in some case, so a code without a case fails.
import { describe, expect, it } from "vitest";
import type { Facts } from "../../src/rules/facts.js";
import { CODES, type Finding, type FindingCode } from "../../src/rules/registry.js";
import { makeFinding, type Rule } from "../../src/rules/rule.js";

export interface Expected {
  code: FindingCode;
  /** Substrings the message must contain. */
  message?: string | string[];
  hint?: string | string[];
  subject?: string;
  severity?: Finding["severity"];
}

export interface RuleCase {
  name: string;
  facts: Partial<Facts>;
  options?: Record<string, unknown>;
  /** Exactly these findings, in this order (codes, or codes with details). [] means the rule stays silent. */
  expect: Array<FindingCode | Expected>;
}

/** Runs one rule alone over the facts, with its declared defaults overridden by `options`. */
export function runRule<C extends FindingCode>(
  rule: Rule<C, unknown>,
  facts: Partial<Facts>,
  options: Record<string, unknown> = {},
): Finding[] {
  const out: Finding[] = [];
  const resolved: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(rule.options as Record<string, { default: unknown }>))
    resolved[name] = options[name] ?? spec.default;
  rule.check({ command: "check", now: new Date("2026-06-01T00:00:00Z"), ...facts } as Facts, {
    options: resolved as never,
    report: (code, subject, message, extras) =>
      out.push(makeFinding<FindingCode>(code, CODES[code], subject, message, extras)),
  });
  return out;
}

function includesAll(actual: string | undefined, wanted: string | string[] | undefined, what: string): void {
  if (wanted === undefined) return;
  for (const w of Array.isArray(wanted) ? wanted : [wanted]) expect(actual ?? "", what).toContain(w);
}

export function describeRule<C extends FindingCode>(rule: Rule<C, unknown>, cases: readonly RuleCase[]): void {
  describe(`rule ${rule.id}`, () => {
    for (const c of cases) {
      it(c.name, () => {
        const got = runRule(rule, c.facts, c.options);
        const want = c.expect.map((e) => (typeof e === "string" ? { code: e } : e));
        expect(got.map((f) => f.code)).toEqual(want.map((w) => w.code));
        for (const [i, w] of want.entries()) {
          const f = got[i] as Finding;
          includesAll(f.message, w.message, `${w.code} message`);
          includesAll(f.hint, w.hint, `${w.code} hint`);
          if (w.subject !== undefined) expect(f.subject).toBe(w.subject);
          expect(f.severity).toBe(w.severity ?? CODES[w.code].severity);
        }
      });
    }
    it("has a case for every code it declares", () => {
      const covered = new Set(cases.flatMap((c) => runRule(rule, c.facts, c.options).map((f) => f.code)));
      const missing = Object.keys(rule.codes).filter((code) => !covered.has(code as FindingCode));
      expect(missing, `codes of ${rule.id} without a case`).toEqual([]);
    });
  });
}
