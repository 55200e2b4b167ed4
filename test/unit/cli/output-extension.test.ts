// --output without --format: the format its extension names (src/cli/output.ts).
import { describe, expect, it } from "vitest";
import { formatFromExtension, planOutputs } from "../../../src/cli/output.js";
import { UsageError } from "../../../src/errors.js";

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
    ["r.json", "json"],
    ["out/R.JSON", "json"],
    ["summary.md", "markdown"],
    ["summary.markdown", "markdown"],
    ["junit.xml", "junit"],
    ["report.txt", "text"],
    ["-", "text"],
    ["audit.sarif", "sarif"],
  ])("%s -> %s", (path, format) => {
    expect(formatFromExtension(path)).toBe(format);
  });

  it.each([
    [
      "r.log",
      "--output r.log has no --format, and .log names no format",
      /\.json, \.md, \.markdown, \.xml, \.sarif, \.txt\.$/,
    ],
    ["report", "--output report has no --format and no extension to take it from", /--format json --output report/],
  ])("%s is a usage error naming --output", (path, message, hint) => {
    const e = usage(() => formatFromExtension(path));
    expect(e.message).toBe(message);
    expect(e.hint).toMatch(hint);
  });
});

describe("planOutputs without --format", () => {
  it("each --output takes its extension's format; the text report stays on the terminal", () => {
    expect(planOutputs([], ["r.json"], ["--output", "r.json"])).toEqual([
      { format: "json", path: "r.json" },
      { format: "text", path: null },
    ]);
    expect(planOutputs(undefined, ["r.json", "r.xml", "s.md", "a.sarif"])).toEqual([
      { format: "json", path: "r.json" },
      { format: "junit", path: "r.xml" },
      { format: "markdown", path: "s.md" },
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
