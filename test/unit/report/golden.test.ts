// Golden files for every renderer from the hand-built reports in fixtures/reports/.
// UPDATE_GOLDEN=1 npx vitest run test/unit/report/golden.test.ts rewrites them; review the diff before committing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadRenderer } from "../../../src/report/renderers/index.js";
import type { Format, RenderOptions } from "../../../src/report/renderers/types.js";
import { CODES, isFindingCode } from "../../../src/rules/registry.js";
import { docsAnchor } from "../../../src/rules/rule.js";
import { assertValidReport } from "../../helpers/schema.js";
import { FIXTURE_NAMES, loadFixture } from "./fixtures.js";
import { checkJunitXml, NO_PYTHON_REASON, PYTHON } from "./xml.js";

const GOLDEN = new URL("./golden/", import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === "1";

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
];

describe("renderer golden files", () => {
  it("has the four kinds of hand-built report the acceptance asks for", () => {
    expect(FIXTURE_NAMES).toEqual(expect.arrayContaining(["parse-env", "certs", "check-full", "check-skipped"]));
  });
  for (const name of FIXTURE_NAMES) {
    for (const v of VARIANTS) {
      it(`${name} as ${v.format} (${v.suffix})`, async () => {
        const render = await loadRenderer(v.format);
        const actual = render(loadFixture(name), v.options);
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
  it("the hand-built reports and their JSON rendering are schema-valid", async () => {
    const render = await loadRenderer("json");
    for (const name of FIXTURE_NAMES) {
      assertValidReport(loadFixture(name));
      assertValidReport(render(loadFixture(name), { color: false, verbose: false }));
    }
  });
  it("the hand-built reports use registered codes with their registered severity and docs anchor", () => {
    for (const name of FIXTURE_NAMES)
      for (const f of loadFixture(name).findings) {
        expect(isFindingCode(f.code), `${name}: ${f.code}`).toBe(true);
        expect(f.severity, `${name}: ${f.code}`).toBe(CODES[f.code].severity);
        if (f.docs !== undefined) expect(f.docs).toBe(docsAnchor(f.code));
      }
  });
  it.skipIf(!PYTHON)("the JUnit golden files are well-formed XML with true counts", async () => {
    const render = await loadRenderer("junit");
    const docs = FIXTURE_NAMES.map((n) => render(loadFixture(n), { color: false, verbose: false }));
    expect(checkJunitXml(docs)).toEqual(docs.map(() => ({ error: null, mismatches: [] })));
  });
  if (!PYTHON) console.warn(NO_PYTHON_REASON);
});
