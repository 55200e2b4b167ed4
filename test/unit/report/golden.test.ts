// Golden files for every renderer from the reports in fixtures/reports/ (both kinds: single-setting and audit).
// UPDATE_GOLDEN=1 npx vitest run test/unit/report/golden.test.ts rewrites them; review the diff before committing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../src/report/kinds.js";
import { type Format, loadRenderer } from "../../../src/report/renderers/index.js";
import type { RenderOptions } from "../../../src/report/renderers/types.js";
import { CODES, isFindingCode } from "../../../src/rules/registry.js";
import { docsAnchor } from "../../../src/rules/rule.js";
import { assertValidReport } from "../../helpers/schema.js";
import { auditSchemaErrors, sarifProblems } from "../audit/helpers.js";
import { FIXTURE_NAMES, loadAny } from "./fixtures.js";
import { checkJunitXml, NO_PYTHON_REASON, PYTHON } from "./xml.js";

const GOLDEN = new URL("./golden/", import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === "1";
// SARIF's help URIs come from package.json's docs URL unless DBDOCTOR_DOCS_URL overrides it: not in these files.
delete process.env.DBDOCTOR_DOCS_URL;

interface Variant {
  format: Format;
  suffix: string;
  options: RenderOptions;
}

const VARIANTS: Variant[] = [
  { format: "text", suffix: "txt", options: { color: false, verbose: false, width: 80 } },
  { format: "text", suffix: "verbose.txt", options: { color: false, verbose: true, width: 100 } },
  { format: "text", suffix: "color.txt", options: { color: true, verbose: false, width: undefined } },
  { format: "json", suffix: "json", options: { color: false, verbose: false } },
  { format: "markdown", suffix: "md", options: { color: false, verbose: false } },
  { format: "junit", suffix: "xml", options: { color: false, verbose: false } },
  { format: "github", suffix: "github.txt", options: { color: false, verbose: false } },
  { format: "sarif", suffix: "sarif", options: { color: false, verbose: false } },
  { format: "openmetrics", suffix: "om.txt", options: { color: false, verbose: false } },
];

describe("renderer golden files", () => {
  it("has the kinds of report the acceptance asks for, and an audit", () => {
    expect(FIXTURE_NAMES).toEqual(
      expect.arrayContaining(["parse-env", "certs", "check-full", "check-skipped", "audit"]),
    );
  });
  for (const name of FIXTURE_NAMES) {
    for (const v of VARIANTS) {
      it(`${name} as ${v.format} (${v.suffix})`, async () => {
        const render = await loadRenderer(v.format);
        const actual = await render(loadAny(name), v.options);
        // ".golden" keeps formatters (biome formats .json and .md) away from byte-exact expectations.
        const file = new URL(`${name}.${v.suffix}.golden`, GOLDEN);
        if (UPDATE) {
          mkdirSync(GOLDEN, { recursive: true });
          writeFileSync(file, actual);
        }
        expect(existsSync(file), `${file.pathname} is missing: run UPDATE_GOLDEN=1`).toBe(true);
        expect(actual, `${file.pathname} differs; if the change is intended run UPDATE_GOLDEN=1`).toBe(
          readFileSync(file, "utf8"),
        );
      });
    }
  }
  it("the reports and their JSON rendering are schema-valid", async () => {
    const render = await loadRenderer("json");
    for (const name of FIXTURE_NAMES) {
      const report = loadAny(name);
      const json = JSON.parse(render(report, { color: false, verbose: false })) as unknown;
      if (report.command === "audit") {
        expect(auditSchemaErrors(report)).toEqual([]);
        expect(auditSchemaErrors(json)).toEqual([]);
      } else {
        assertValidReport(report);
        assertValidReport(json);
      }
    }
  });
  it("the SARIF of every report has the essential 2.1.0 structure", async () => {
    const render = await loadRenderer("sarif");
    for (const name of FIXTURE_NAMES)
      expect(sarifProblems(JSON.parse(render(loadAny(name), { color: false, verbose: false }))), name).toEqual([]);
  });
  it("the reports use registered codes with their registered severity and docs anchor", () => {
    for (const name of FIXTURE_NAMES)
      for (const f of findingsOf(loadAny(name))) {
        expect(isFindingCode(f.code), `${name}: ${f.code}`).toBe(true);
        expect(f.severity, `${name}: ${f.code}`).toBe(CODES[f.code].severity);
        if (f.docs !== undefined) expect(f.docs).toBe(docsAnchor(f.code));
      }
  });
  it.skipIf(!PYTHON)("the JUnit golden files are well-formed XML with true counts", async () => {
    const render = await loadRenderer("junit");
    const docs = FIXTURE_NAMES.map((n) => render(loadAny(n), { color: false, verbose: false }));
    expect(checkJunitXml(docs)).toEqual(docs.map(() => ({ error: null, mismatches: [] })));
  });
  if (!PYTHON) console.warn(NO_PYTHON_REASON);
});
