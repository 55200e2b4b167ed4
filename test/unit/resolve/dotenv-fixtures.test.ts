// Every .env fixture against the reading python-dotenv 1.2.2 produced for it (fixtures/env/generate.py).
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDotenv } from "../../../src/resolve/dotenv.js";

const DIR = new URL("../../../fixtures/env/", import.meta.url);

interface Expected {
  description: string;
  env: Record<string, string>;
  expected: Record<string, string>;
  bareKeys: string[];
  problemLines: number[];
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith(".env"))
  .sort();

describe("the .env fixture corpus", () => {
  it("has at least 30 files, each with its expected reading", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const c of cases) expect(readdirSync(DIR)).toContain(c.replace(/\.env$/, ".json"));
  });

  for (const file of cases) {
    const exp = JSON.parse(readFileSync(new URL(file.replace(/\.env$/, ".json"), DIR), "utf8")) as Expected;
    it(`${file}: ${exp.description}`, () => {
      const text = readFileSync(new URL(file, DIR), "utf8");
      const r = parseDotenv(text, file, exp.env);
      const values = Object.fromEntries(Object.entries(r.vars).map(([k, e]) => [k, e.value]));
      expect(values).toEqual(exp.expected);
      expect([...new Set(r.bareKeys.map((b) => b.key))].sort()).toEqual([...exp.bareKeys].sort());
      expect(r.problems.filter((p) => p.kind === "syntax").map((p) => p.line)).toEqual(exp.problemLines);
    });
  }
});

describe("where each value came from", () => {
  it("records the line of the key, also after comments, blank lines and multi-line values", () => {
    const r = parseDotenv('# c\n\nA="x\ny"\n\nB=2\n', "f.env", {});
    expect(r.vars.A).toMatchObject({ file: "f.env", line: 3, quote: "double" });
    expect(r.vars.B).toMatchObject({ line: 6, quote: "none" });
  });
  it("points at the later line for a duplicate key", () => {
    expect(parseDotenv("A=1\nA=2\n", "f", {}).vars.A?.line).toBe(2);
  });
  it("marks an unquoted value cut at ' #' and a BOM glued to the first key", () => {
    const r = parseDotenv("\ufeffURL=postgresql://u:pa #ss@h/db\n", "f", {});
    expect(r.vars["\ufeffURL"]).toMatchObject({ value: "postgresql://u:pa", commentCut: true });
    expect(r.problems).toEqual([expect.objectContaining({ kind: "bom", line: 1 })]);
  });
  it("names the line of a statement it cannot parse", () => {
    const r = parseDotenv("A=1\n\n\nB='open\n", "f", {});
    expect(r.problems).toEqual([expect.objectContaining({ kind: "syntax", line: 4 })]);
    expect(r.problems[0]?.message).toMatch(/could not parse statement starting at line 4/);
  });
});
