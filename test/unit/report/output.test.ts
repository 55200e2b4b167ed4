// The --format/--output pairing rules (src/cli/output.ts), in-process.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { optionOrder, planOutputs, writeOutputs } from "../../../src/cli/output.js";
import { UsageError } from "../../../src/errors.js";
import { assertValidReport } from "../../helpers/schema.js";
import { sarifProblems } from "../audit/helpers.js";
import { loadAuditFixture, loadFixture } from "./fixtures.js";
import { checkJunitXml, PYTHON } from "./xml.js";

// The argv as the user typed it, and the arrays yargs makes of it.
function plan(argv: string[]) {
  const formats: string[] = [];
  const outputs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] ?? "").split("=", 2);
    const value = inline ?? argv[i + 1] ?? "";
    if (flag === "--format") formats.push(value);
    if (flag === "--output") outputs.push(value);
    if ((flag === "--format" || flag === "--output") && inline === undefined) i++;
  }
  return planOutputs(formats, outputs, argv);
}

function usage(argv: string[]): string {
  try {
    plan(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).message;
  }
  throw new Error(`expected a usage error for ${argv.join(" ")}`);
}

describe("planOutputs: which format goes where", () => {
  it("no --format: text on stdout", () => {
    expect(plan([])).toEqual([{ format: "text", path: null }]);
  });
  it("a single --format without --output goes to stdout, with no text besides", () => {
    expect(plan(["--format", "json"])).toEqual([{ format: "json", path: null }]);
  });
  it("--format x --output y writes the file and keeps text on the terminal", () => {
    expect(plan(["--format", "json", "--output", "r.json"])).toEqual([
      { format: "json", path: "r.json" },
      { format: "text", path: null },
    ]);
  });
  it("several pairs: each file, plus text on stdout", () => {
    expect(plan(["--format", "json", "--output", "r.json", "--format=junit", "--output=r.xml"])).toEqual([
      { format: "json", path: "r.json" },
      { format: "junit", path: "r.xml" },
      { format: "text", path: null },
    ]);
  });
  it("pairs plus one trailing --format for stdout", () => {
    expect(plan(["--format", "json", "--output", "r.json", "--format", "github"])).toEqual([
      { format: "json", path: "r.json" },
      { format: "github", path: null },
    ]);
  });
  it("every command takes sarif", () => {
    expect(plan(["--format", "sarif"])).toEqual([{ format: "sarif", path: null }]);
  });
  it("--output - means stdout", () => {
    expect(plan(["--format", "json", "--output", "-"])).toEqual([{ format: "json", path: null }]);
  });
  it("a lone --output writes the text report there and still shows it", () => {
    expect(plan(["--output", "r.txt"])).toEqual([
      { format: "text", path: "r.txt" },
      { format: "text", path: null },
    ]);
  });
  it("refuses two formats on stdout, naming them", () => {
    expect(usage(["--format", "json", "--format", "junit"])).toBe(
      "--format json and --format junit would all go to standard output; only one format can",
    );
  });
  it("refuses more --output than --format", () => {
    expect(usage(["--format", "json", "--output", "a", "--output", "b"])).toMatch(
      /^2 --output files but only 1 --format: every --output needs its own --format/,
    );
    // Without any --format each --output names its format by its extension; "a" names none.
    expect(usage(["--output", "a", "--output", "b"])).toBe(
      "--output a has no --format and no extension to take it from",
    );
  });
  it("refuses an --output placed after the wrong --format instead of guessing", () => {
    expect(usage(["--format", "json", "--format", "junit", "--output", "r.xml"])).toBe(
      "--output r.xml follows --format junit but pairs with --format json (the Nth --output goes with the Nth --format)",
    );
    expect(usage(["--output", "r.json", "--format", "json"])).toMatch(
      /^--output r.json comes before its --format json/,
    );
  });
  it("refuses the same file for two formats", () => {
    expect(usage(["--format", "json", "--output", "r", "--format", "junit", "--output", "./r"])).toBe(
      "--output ./r is given for both --format json and --format junit",
    );
  });
  it("ignores what follows `--` when reading the order", () => {
    expect(optionOrder(["--format", "json", "--", "--output", "x"])).toEqual(["format"]);
  });
});

describe("writeOutputs", () => {
  it("writes each format to its file without colour, and coloured text to a terminal", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dbdoctor-output-"));
    try {
      const targets = plan([
        "--format",
        "json",
        "--output",
        join(dir, "r.json"),
        "--format",
        "junit",
        "--output",
        join(dir, "r.xml"),
        "--format",
        "text",
        "--output",
        join(dir, "r.txt"),
      ]);
      let stdout = "";
      await writeOutputs(loadFixture("check-full"), targets, {
        color: true,
        verbose: false,
        width: 100,
        writeStdout: (t) => {
          stdout += t;
        },
      });
      const ansi = /\u001b\[/;
      expect(stdout).toMatch(ansi);
      expect(stdout).toContain("sslmode matrix");
      const text = readFileSync(join(dir, "r.txt"), "utf8");
      expect(text).not.toMatch(ansi);
      expect(text).toContain("verify-full *  ✗ refused");
      assertValidReport(readFileSync(join(dir, "r.json"), "utf8"));
      const xml = readFileSync(join(dir, "r.xml"), "utf8");
      expect(xml).not.toMatch(ansi);
      if (PYTHON) expect(checkJunitXml([xml])).toEqual([{ error: null, mismatches: [] }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("an audit report goes through the same planner and pairs: SARIF and JUnit files, text on the terminal", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dbdoctor-output-"));
    try {
      const targets = plan([
        "--format",
        "sarif",
        "--output",
        join(dir, "a.sarif"),
        "--format=junit",
        `--output=${join(dir, "a.xml")}`,
      ]);
      let stdout = "";
      await writeOutputs(loadAuditFixture(), targets, {
        color: false,
        verbose: false,
        width: 80,
        writeStdout: (t) => {
          stdout += t;
        },
      });
      expect(stdout).toMatch(/^dbdoctor audit of deploy \(live\)\n/);
      expect(stdout).toContain("Verdict: FAIL");
      expect(sarifProblems(JSON.parse(readFileSync(join(dir, "a.sarif"), "utf8")))).toEqual([]);
      const xml = readFileSync(join(dir, "a.xml"), "utf8");
      expect(xml).toContain('<testsuite name="dbdoctor audit" package="dbdoctor.audit"');
      if (PYTHON) expect(checkJunitXml([xml])).toEqual([{ error: null, mismatches: [] }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("a file that cannot be written is a usage error naming it, before anything reaches stdout", async () => {
    let stdout = "";
    const targets = planOutputs(["json"], ["/nonexistent-dir/r.json"]);
    await expect(
      writeOutputs(loadFixture("certs"), targets, {
        color: false,
        verbose: false,
        width: undefined,
        writeStdout: (t) => {
          stdout += t;
        },
      }),
    ).rejects.toThrow(/^cannot write --output \/nonexistent-dir\/r.json/);
    expect(stdout).toBe("");
  });
});
