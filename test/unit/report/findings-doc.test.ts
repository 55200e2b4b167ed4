import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { anchorId, FINDINGS_DOC, renderFindingsDoc } from "../../../scripts/gen-findings-doc.js";
import { familyOf } from "../../../src/report/renderers/families.js";
import { CODES, type FindingCode } from "../../../src/rules/registry.js";
import { docsAnchor } from "../../../src/rules/rule.js";

describe("docs/findings.md", () => {
  it("is up to date with the rule registry (run `npm run docs:findings` if not)", () => {
    const committed = readFileSync(FINDINGS_DOC, "utf8");
    expect(committed === renderFindingsDoc(), "docs/findings.md is stale: run `npm run docs:findings`").toBe(true);
  });
  it("has an anchor for every code, the one each finding's docs field points at", () => {
    const doc = renderFindingsDoc();
    for (const code of Object.keys(CODES) as FindingCode[]) {
      expect(docsAnchor(code)).toBe(`docs/findings.md#${anchorId(code)}`);
      expect(doc).toContain(`<a id="${anchorId(code)}"></a>`);
      expect(doc).toContain(`### \`${code}\``);
    }
  });
  it("gives distinct codes distinct anchors", () => {
    const anchors = Object.keys(CODES).map(anchorId);
    expect(new Set(anchors).size).toBe(anchors.length);
  });
  it("escapes Markdown in the registry's text", () => {
    const doc = renderFindingsDoc({
      "url.x": { severity: "warning", title: "a | b", description: "uses <tag>", hint: "run *this*", family: "url" },
    });
    expect(doc).toContain("| [`url.x`](#url-x) | warning | a \\| b |");
    expect(doc).toContain("uses \\<tag\\>");
    expect(doc).toContain("run \\*this\\*");
  });
});

describe("the families behind the report sections", () => {
  it("place every registered code by the family that declares it, not its prefix", () => {
    for (const [code, spec] of Object.entries(CODES)) expect(familyOf(code)).toBe(spec.family);
  });
});

describe("docs/report.schema.json's generated closed sets", () => {
  it("lists exactly the registered codes and the attempt causes (run `npm run docs:findings` if not)", async () => {
    const { readFileSync: read } = await import("node:fs");
    const { REPORT_SCHEMA, renderReportSchema } = await import("../../../scripts/gen-findings-doc.js");
    const committed = JSON.parse(read(REPORT_SCHEMA, "utf8"));
    const generated = JSON.parse(renderReportSchema());
    expect(committed.$defs.findingCode).toEqual(generated.$defs.findingCode);
    expect(committed.$defs.cause).toEqual(generated.$defs.cause);
  });
});
