// What reading a file met: a YAML syntax error, or a file that could not be read at all. Either way the settings in
// it were not audited, and the tool that loads it (docker compose, kubectl, helm, python-dotenv) fails on it too.
// (A statement python-dotenv skips is the env family's env.dotenv-problem.)
import type { FileProblem } from "../../audit/types.js";
import type { SourceLocation } from "../../model/finding.js";
import { defineRule } from "../rule.js";

function locationOf(p: FileProblem): SourceLocation {
  return {
    file: p.file,
    ...(p.line !== undefined ? { line: p.line } : {}),
    ...(p.column !== undefined ? { column: p.column } : {}),
  };
}

export default defineRule({
  id: "audit/file-problems",
  family: "audit",
  codes: {
    "audit.unparseable-file": {
      severity: "warning",
      title: "Configuration file could not be parsed",
      description:
        "A YAML or .env file in the scanned tree has a syntax error, so the audit could not read the settings in it (and the tool that loads it, docker compose, kubectl, helm or python-dotenv, would fail or skip it too).",
      hint: "Fix the syntax at the line shown (yamllint or `docker compose config` name the problem), then run the audit again.",
    },
    "audit.unreadable-file": {
      severity: "warning",
      title: "File could not be read",
      description:
        "A file in the scanned tree could not be read (permission denied, or not valid UTF-8 where the loader requires it), so its settings were not audited.",
      hint: "Make the file readable by the user running the audit, or exclude it with --exclude if it holds no configuration.",
    },
  },
  check({ audit }, { report }) {
    for (const p of audit?.problems ?? []) {
      const location = locationOf(p);
      if (p.kind === "unreadable") report("audit.unreadable-file", p.file, `${p.file}: ${p.message}`, { location });
      else if (p.kind === "unparseable")
        report("audit.unparseable-file", p.file, `${p.file}${p.line !== undefined ? `:${p.line}` : ""}: ${p.message}`, {
          location,
        });
    }
  },
});
