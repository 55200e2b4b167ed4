// Golden files for every audit format from fixtures/reports/audit.json (UPDATE_GOLDEN=1 rewrites them).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { type AuditFormat, type AuditRenderOptions, loadAuditRenderer } from "../../../src/audit/renderers/index.js";
import { loadAuditFixture } from "../report/fixtures.js";

const GOLDEN = new URL("../report/golden/", import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === "1";
/** SARIF's helpUri points at this checkout's docs/findings.md: the golden file holds a stand-in. */
const DOCS = pathToFileURL(new URL("../../../docs/findings.md", import.meta.url).pathname).href;

const VARIANTS: Array<{ format: AuditFormat; suffix: string; options: AuditRenderOptions }> = [
  { format: "text", suffix: "txt", options: { color: false, verbose: false, width: 80 } },
  { format: "text", suffix: "verbose.txt", options: { color: false, verbose: true, width: 100 } },
  { format: "text", suffix: "color.txt", options: { color: true, verbose: false } },
  { format: "json", suffix: "json", options: { color: false, verbose: false } },
  { format: "markdown", suffix: "md", options: { color: false, verbose: false } },
  { format: "junit", suffix: "xml", options: { color: false, verbose: false } },
  { format: "github", suffix: "github.txt", options: { color: false, verbose: false } },
  { format: "sarif", suffix: "sarif", options: { color: false, verbose: false } },
];

describe("audit golden files", () => {
  for (const v of VARIANTS)
    it(`audit as ${v.format} (${v.suffix})`, async () => {
      const render = await loadAuditRenderer(v.format);
      const actual = render(loadAuditFixture(), v.options).replaceAll(DOCS, "file:///dbdoctor/docs/findings.md");
      const file = new URL(`audit.${v.suffix}.golden`, GOLDEN);
      if (UPDATE) writeFileSync(file, actual);
      expect(existsSync(file), `${file.pathname} is missing: run UPDATE_GOLDEN=1`).toBe(true);
      expect(actual).toBe(readFileSync(file, "utf8"));
    });
});
