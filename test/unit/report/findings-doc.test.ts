import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { anchorId, FINDINGS_DOC, renderFindingsDoc } from "../../../scripts/gen-findings-doc.js";
import { FAMILIES, FAMILY_TABLES, familyOf } from "../../../src/report/renderers/families.js";
import { FINDINGS, type FindingCode, finding } from "../../../src/rules/registry.js";

describe("docs/findings.md", () => {
  it("is up to date with the rule registry (run `npm run docs:findings` if not)", () => {
    const committed = readFileSync(FINDINGS_DOC, "utf8");
    expect(committed === renderFindingsDoc(), "docs/findings.md is stale: run `npm run docs:findings`").toBe(true);
  });
  it("has an anchor for every code, the one each finding's docs field points at", () => {
    const doc = renderFindingsDoc();
    for (const code of Object.keys(FINDINGS) as FindingCode[]) {
      const docs = finding(code, "subject", "message").docs ?? "";
      expect(docs).toBe(`docs/findings.md#${anchorId(code)}`);
      expect(doc).toContain(`<a id="${anchorId(code)}"></a>`);
      expect(doc).toContain(`### \`${code}\``);
    }
  });
  it("gives distinct codes distinct anchors", () => {
    const anchors = Object.keys(FINDINGS).map(anchorId);
    expect(new Set(anchors).size).toBe(anchors.length);
  });
  it("escapes Markdown in the registry's text and refuses a code no family holds", () => {
    const defs = {
      "url.x": { severity: "warning" as const, title: "a | b", description: "uses <tag>", hint: "run *this*" },
    };
    const tables = { ...FAMILY_TABLES, url: defs };
    const doc = renderFindingsDoc(defs, tables);
    expect(doc).toContain("| [`url.x`](#url-x) | warning | a \\| b |");
    expect(doc).toContain("uses \\<tag\\>");
    expect(doc).toContain("run \\*this\\*");
    expect(() => renderFindingsDoc(defs)).toThrow(/in no family table: url.x/);
  });
});

describe("the family tables behind the report sections", () => {
  it("together hold exactly the registry's codes, each in one family", () => {
    const all = FAMILIES.flatMap((f) => Object.keys(FAMILY_TABLES[f]));
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(Object.keys(FINDINGS).sort());
  });
  it("place every registered code by its table, not its prefix", () => {
    for (const family of FAMILIES)
      for (const code of Object.keys(FAMILY_TABLES[family])) expect(familyOf(code)).toBe(family);
  });
});
