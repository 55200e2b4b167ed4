// The registry is derived from the rule modules: each rule lives where its id says, has its table-driven test,
// and declares codes nobody else declares.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FAMILIES } from "../../../src/rules/families.js";
import { CODES, RULES } from "../../../src/rules/registry.js";

const root = new URL("../../../", import.meta.url);

describe("the rule registry", () => {
  it("has each rule at src/rules/<id>.ts with its test at test/unit/rules/<id>.test.ts", () => {
    for (const rule of RULES) {
      expect(rule.id.startsWith(`${rule.family}/`), rule.id).toBe(true);
      expect(existsSync(new URL(`src/rules/${rule.id}.ts`, root)), `src/rules/${rule.id}.ts`).toBe(true);
      expect(existsSync(new URL(`test/unit/rules/${rule.id}.test.ts`, root)), `test for ${rule.id}`).toBe(true);
    }
  });
  it("gives every rule a distinct id and every code exactly one rule", () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    const declared = RULES.flatMap((r) => Object.keys(r.codes));
    expect(new Set(declared).size).toBe(declared.length);
    for (const rule of RULES)
      for (const code of Object.keys(rule.codes)) expect(CODES[code as keyof typeof CODES].rule).toBe(rule.id);
  });
  it("places every code in a known family and every option has a default and a description", () => {
    for (const spec of Object.values(CODES)) expect(FAMILIES).toContain(spec.family);
    for (const rule of RULES)
      for (const [name, spec] of Object.entries(
        rule.options as Record<string, { default: unknown; description: string }>,
      )) {
        expect(spec.default, `${rule.id} option ${name}`).not.toBeUndefined();
        expect(spec.description.length, `${rule.id} option ${name}`).toBeGreaterThan(0);
      }
  });
});
