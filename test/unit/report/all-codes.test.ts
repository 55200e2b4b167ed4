// Every registered finding code renders in every format: a synthetic report per code, built with finding()
// as the rules do, with evidence and a .env location so every optional part is exercised.
import { describe, expect, it } from "vitest";
import { deriveVerdict } from "../../../src/report/build.js";
import { FORMATS, type Format, loadRenderer, type RendererOf } from "../../../src/report/renderers/index.js";
import type { AsyncRenderer, Renderer } from "../../../src/report/renderers/types.js";
import type { Report } from "../../../src/report/report.js";
import { type FindingCode, finding, CODES as REGISTERED } from "../../../src/rules/registry.js";
import { assertValidReport } from "../../helpers/schema.js";
import { loadFixture } from "./fixtures.js";
import { checkJunitXml, NO_PYTHON_REASON, PYTHON } from "./xml.js";

const CODES = Object.keys(REGISTERED) as FindingCode[];

function reportFor(code: FindingCode): Report {
  const base = loadFixture("check-full");
  const f = finding(code, `subject of ${code}`, `A message for ${code} naming "quoted" <values> & 100% | pipes`, {
    evidence: { subject: "CN=db.internal", sans: ["db.internal", "db"], days: 3, selfSigned: false, issuer: null },
    location: { file: ".env", line: 4, column: 2 },
  });
  const parts = { ...base, findings: [f] };
  return { ...parts, verdict: deriveVerdict(parts) };
}

const renderers = new Map<Format, Renderer | AsyncRenderer>();
async function renderer<F extends Format>(format: F): Promise<RendererOf<F>> {
  const r = (renderers.get(format) as RendererOf<F> | undefined) ?? (await loadRenderer(format));
  renderers.set(format, r);
  return r;
}

describe("every registered finding code in every format", () => {
  it("has codes to render", () => {
    expect(CODES.length).toBeGreaterThan(0);
  });
  for (const format of FORMATS) {
    it(`${format}: renders each of the registered codes and names it`, async () => {
      const render = await renderer(format);
      for (const code of CODES) {
        for (const verbose of [false, true]) {
          const out = await render(reportFor(code), { color: format === "text", verbose, width: 80 });
          expect(out, `${format} for ${code}`).toContain(code);
          if (format === "json") assertValidReport(out);
        }
      }
    });
  }
  it("the text report shows the registered hint of each code, and no fix line for codes without one", async () => {
    const render = await renderer("text");
    for (const code of CODES) {
      const out = render(reportFor(code), { color: false, verbose: false, width: undefined });
      const hint: string | undefined = REGISTERED[code].hint;
      if (hint) expect(out, code).toContain(`fix: ${hint}`);
      else expect(out, code).not.toContain("fix:");
    }
  });
  it("github points each annotation at the .env line", async () => {
    const render = await renderer("github");
    for (const code of CODES) {
      const out = render(reportFor(code), { color: false, verbose: false });
      const command = { error: "error", warning: "warning", info: "notice" }[REGISTERED[code].severity];
      expect(out, code).toContain(`::${command} file=.env,line=4,col=2,title=dbdoctor ${code} (subject of ${code})::`);
    }
  });
  it.skipIf(!PYTHON)("junit: every document is well-formed XML with true counts, and an error code fails", async () => {
    const render = await renderer("junit");
    const docs = CODES.map((code) => render(reportFor(code), { color: false, verbose: false }));
    expect(checkJunitXml(docs)).toEqual(docs.map(() => ({ error: null, mismatches: [] })));
    for (const [i, code] of CODES.entries()) {
      const failed = /<failure message="A message for/.test(docs[i] ?? "");
      expect(failed, code).toBe(REGISTERED[code].severity === "error");
    }
  });
  if (!PYTHON) console.warn(NO_PYTHON_REASON);
});
