// Statements python-dotenv cannot parse are logged and skipped: the variable on that line is not set. A key
// without '=' is skipped too; it matters when it is the connection string's variable. The --env-file files are
// the resolve stage's; a .env file in an audited tree is the audit's.
import { defineRule } from "../rule.js";

export default defineRule({
  id: "env/dotenv-problem",
  family: "env",
  codes: {
    "env.dotenv-problem": {
      severity: "warning",
      title: "Line python-dotenv cannot parse",
      description:
        'python-dotenv logs "could not parse statement starting at line N" and skips the statement, so the variable on that line is not set.',
      hint: "Write the line as KEY=value, quoting a value that holds spaces, quotes or ' #'.",
    },
  },
  check({ input, audit }, { report }) {
    for (const p of audit?.problems ?? []) {
      if (p.kind !== "dotenv") continue;
      const at = {
        ...(p.line !== undefined ? { line: p.line } : {}),
        ...(p.column !== undefined ? { column: p.column } : {}),
      };
      report("env.dotenv-problem", p.file, p.message, { location: { file: p.file, ...at } });
    }
    if (!input) return;
    for (const p of input.problems)
      report("env.dotenv-problem", p.file, p.message, { location: { file: p.file, line: p.line } });
    for (const b of input.bareKeys) {
      if (b.key !== input.variable) continue;
      report(
        "env.dotenv-problem",
        b.file,
        `${b.key} on line ${b.line} has no '=': python-dotenv reads it as unset and load_dotenv() does not set it.`,
        { hint: `Write ${b.key}=VALUE.`, location: { file: b.file, line: b.line } },
      );
    }
  },
});
