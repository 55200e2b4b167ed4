// --output without --format: the format its extension names (src/cli/output.ts), per command's formats.
import { describe, expect, it } from "vitest";
import { AUDIT_FORMATS } from "../../../src/audit/renderers/index.js";
import { formatFromExtension, planOutputs, planTargets } from "../../../src/cli/output.js";
import { UsageError } from "../../../src/errors.js";
import { FORMATS } from "../../../src/report/renderers/types.js";

const auditRules = { formats: AUDIT_FORMATS, unknown: "is not a format for audit", hint: "h" };

function usage(run: () => unknown): UsageError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error("expected a usage error");
}

describe("formatFromExtension", () => {
  it.each([
    ["r.json", FORMATS, "json"],
    ["out/R.JSON", FORMATS, "json"],
    ["summary.md", FORMATS, "markdown"],
    ["summary.markdown", FORMATS, "markdown"],
    ["junit.xml", FORMATS, "junit"],
    ["report.txt", FORMATS, "text"],
    ["-", FORMATS, "text"],
    ["audit.sarif", AUDIT_FORMATS, "sarif"],
    ["audit.json", AUDIT_FORMATS, "json"],
  ] as Array<[string, readonly string[], string]>)("%s -> %s", (path, formats, format) => {
    expect(formatFromExtension(path, formats)).toBe(format);
  });

  it.each([
    ["r.sarif", FORMATS, "--output r.sarif: SARIF is written by dbdoctor audit only", /^Put --format FORMAT before it/],
    [
      "r.log",
      FORMATS,
      "--output r.log has no --format, and .log names no format",
      /\.json, \.md, \.markdown, \.xml, \.txt\.$/,
    ],
    [
      "report",
      FORMATS,
      "--output report has no --format and no extension to take it from",
      /--format json --output report/,
    ],
    ["a.html", AUDIT_FORMATS, "--output a.html has no --format, and .html names no format", /\.xml, \.sarif, \.txt\.$/],
  ] as Array<[string, readonly string[], string, RegExp]>)(
    "%s is a usage error naming --output",
    (path, formats, message, hint) => {
      const e = usage(() => formatFromExtension(path, formats));
      expect(e.message).toBe(message);
      expect(e.hint).toMatch(hint);
    },
  );
});

describe("planOutputs without --format", () => {
  it("each --output takes its extension's format; the text report stays on the terminal", () => {
    expect(planOutputs([], ["r.json"], ["--output", "r.json"])).toEqual([
      { format: "json", path: "r.json" },
      { format: "text", path: null },
    ]);
    expect(planOutputs(undefined, ["r.json", "r.xml", "s.md"])).toEqual([
      { format: "json", path: "r.json" },
      { format: "junit", path: "r.xml" },
      { format: "markdown", path: "s.md" },
      { format: "text", path: null },
    ]);
  });
  it("audit: .sarif is SARIF", () => {
    expect(planTargets([], ["a.sarif"], [], auditRules)).toEqual([
      { format: "sarif", path: "a.sarif" },
      { format: "text", path: null },
    ]);
  });
  it("with any --format, the pairing rules apply and the extension is not read", () => {
    expect(planOutputs(["markdown"], ["r.json"], ["--format", "markdown", "--output", "r.json"])).toEqual([
      { format: "markdown", path: "r.json" },
      { format: "text", path: null },
    ]);
  });
});
