import { describe, expect, it } from "vitest";
import rule from "../../../../src/rules/audit/file-problems.js";
import { describeRule, runRule } from "../../../helpers/rules.js";
import { problems } from "./fixtures.js";

describeRule(rule, [
  {
    name: "a YAML syntax error names the file and line and what the parser said",
    facts: problems({
      file: "deploy/broken.yaml",
      line: 5,
      column: 1,
      kind: "unparseable",
      message: "YAML syntax error: All mapping items must start at the same column",
    }),
    expect: [
      {
        code: "audit.unparseable-file",
        subject: "deploy/broken.yaml",
        message: "deploy/broken.yaml:5: YAML syntax error: All mapping items must start at the same column",
        hint: "yamllint",
      },
    ],
  },
  {
    name: "a syntax error without a position names the file alone",
    facts: problems({ file: "a.yaml", kind: "unparseable", message: "YAML syntax error: bad" }),
    expect: [{ code: "audit.unparseable-file", message: "a.yaml: YAML syntax error: bad" }],
  },
  {
    name: "a file that cannot be read says why",
    facts: problems({ file: "deploy/latin1.env", kind: "unreadable", message: "not valid UTF-8" }),
    expect: [
      { code: "audit.unreadable-file", subject: "deploy/latin1.env", message: "deploy/latin1.env: not valid UTF-8" },
    ],
  },
  {
    name: "every problem of a file, in order; python-dotenv's skipped lines are the env family's",
    facts: problems(
      { file: "a.env", kind: "unreadable", message: "permission denied" },
      { file: "b.env", line: 2, kind: "dotenv", message: "python-dotenv could not parse statement starting at line 2" },
      { file: "c.yaml", line: 1, kind: "unparseable", message: "YAML syntax error: x" },
    ),
    expect: ["audit.unreadable-file", "audit.unparseable-file"],
  },
  { name: "silent without problems", facts: problems(), expect: [] },
  { name: "silent outside an audit", facts: {}, expect: [] },
]);

describe("audit/file-problems locations", () => {
  it("points at the file, line and column the reader gave, and at the file alone without them", () => {
    const [parse, read] = runRule(rule, {
      ...problems(
        { file: "x.yaml", line: 4, column: 7, kind: "unparseable", message: "m" },
        { file: "y.env", kind: "unreadable", message: "m" },
      ),
    });
    expect(parse?.location).toEqual({ file: "x.yaml", line: 4, column: 7 });
    expect(read?.location).toEqual({ file: "y.env" });
  });
});
