// Both JSON Schemas carry an $id, so a validator that is given the two files resolves audit.schema.json's relative
// references ("report.schema.json#/$defs/finding") to report.schema.json by id, wherever the files were read from.
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { REPORT_SCHEMA, renderReportSchema, SCHEMA_BASE } from "../../../scripts/gen-findings-doc.js";
import { loadAuditFixture, loadFixture, SETTING_FIXTURE_NAMES } from "./fixtures.js";

type Schema = Record<string, unknown>;
const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../docs/${name}`, import.meta.url), "utf8")) as Schema;
const REPORT_ID = `${SCHEMA_BASE}report.schema.json`;
const AUDIT_ID = `${SCHEMA_BASE}audit.schema.json`;
const ajv = () => new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });

/** Every "$ref" in a schema. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => (k === "$ref" && typeof v === "string" ? [v] : refs(v)));
}

describe("the JSON Schemas' $id", () => {
  it("each is an absolute https URI next to the other, and audit's references resolve to report's $id", () => {
    expect(read("report.schema.json").$id).toBe(REPORT_ID);
    expect(read("audit.schema.json").$id).toBe(AUDIT_ID);
    expect(SCHEMA_BASE).toMatch(/^https:\/\/.+\/$/);
    const external = refs(read("audit.schema.json")).filter((r) => !r.startsWith("#"));
    expect(external.length).toBeGreaterThan(0);
    for (const ref of external) {
      const target = new URL(ref, AUDIT_ID);
      expect(`${target.origin}${target.pathname}`, ref).toBe(REPORT_ID);
    }
  });
  it("ajv loads both by $id alone and validates reports of both kinds through them", () => {
    const v = ajv();
    v.addSchema(read("report.schema.json"));
    v.addSchema(read("audit.schema.json"));
    const audit = v.getSchema(AUDIT_ID);
    const report = v.getSchema(REPORT_ID);
    if (!audit || !report) throw new Error("a schema is not registered under its $id");
    expect(audit(loadAuditFixture()), JSON.stringify(audit.errors)).toBe(true);
    for (const name of SETTING_FIXTURE_NAMES) expect(report(loadFixture(name)), name).toBe(true);
    // A finding code that report.schema.json does not list fails the audit: the reference is followed.
    const bad = structuredClone(loadAuditFixture());
    Object.assign(bad.fileFindings[0] ?? {}, { code: "no.such-code" });
    expect(audit(bad)).toBe(false);
  });
  it("without $id the reference cannot be resolved (what a validator met before)", () => {
    const { $id: _r, ...report } = read("report.schema.json");
    const { $id: _a, ...audit } = read("audit.schema.json");
    const v = ajv();
    v.addSchema(report);
    expect(() => v.compile(audit)).toThrow(/can't resolve reference report\.schema\.json/);
  });
  it("the generator of the closed sets keeps $id, in second place, even in a schema that lost it", () => {
    const committed = readFileSync(REPORT_SCHEMA, "utf8");
    expect(renderReportSchema(committed)).toBe(committed);
    const { $id: _gone, ...rest } = JSON.parse(committed) as Schema;
    const regenerated = JSON.parse(renderReportSchema(JSON.stringify(rest))) as Schema;
    expect(Object.keys(regenerated).slice(0, 2)).toEqual(["$schema", "$id"]);
    expect(regenerated.$id).toBe(REPORT_ID);
  });
});
