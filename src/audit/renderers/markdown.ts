// Markdown for PR comments and $GITHUB_STEP_SUMMARY: the summary tables, then one table row per finding.

import type { Severity } from "../../model/finding.js";
import { mdCode, mdText } from "../../report/renderers/markdown.js";
import { allFindings } from "../report.js";
import { settingName, settingOrigin, sortFindings, where, worst } from "./common.js";
import type { AuditRenderer } from "./index.js";
import { sanitizeAudit } from "./sanitize.js";

const BADGE: Record<Severity, string> = { error: "❌ error", warning: "⚠️ warning", info: "ℹ️ info" };
const STATUS = { pass: "✅ pass", warn: "⚠️ warn", fail: "❌ fail" } as const;

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
}

export const renderAuditMarkdown: AuditRenderer = (raw) => {
  const r = sanitizeAudit(raw);
  const s = r.summary;
  const out: string[] = [`## dbdoctor audit: ${STATUS[r.verdict.status]}`, "", mdText(r.verdict.summary), ""];
  out.push(
    ...table(
      ["Files", "Skipped", "Settings", "Errors", "Warnings", "Infos"],
      [[s.files, s.skipped, s.settings, s.errors, s.warnings, s.infos].map(String)],
    ),
    "",
  );
  const byRule = Object.entries(s.byRule);
  if (byRule.length > 0)
    out.push(
      "### Findings by rule",
      "",
      ...table(
        ["Rule", "Count"],
        byRule.map(([c, n]) => [mdCode(c), String(n)]),
      ),
      "",
    );
  out.push("### Settings", "");
  if (r.settings.length === 0) out.push("No PostgreSQL connection setting found.", "");
  else
    out.push(
      ...table(
        ["Status", "Where", "Setting", "Value (redacted)", "Read as"],
        r.settings.map((st) => {
          const w = worst(st);
          return [
            w === null ? "✅ ok" : BADGE[w],
            mdCode(where(st)),
            mdText(settingName(st)),
            mdCode(st.redacted),
            mdText(settingOrigin(st)),
          ];
        }),
      ),
      "",
    );
  const findings = sortFindings(allFindings(r));
  if (findings.length > 0) {
    out.push("### Findings", "");
    out.push(
      ...table(
        ["Severity", "Where", "Code", "Message", "Fix"],
        findings.map((f) => [
          BADGE[f.severity],
          f.location
            ? mdCode(
                `${f.location.file}${f.location.line !== undefined ? `:${f.location.line}` : ""}${f.location.column !== undefined ? `:${f.location.column}` : ""}`,
              )
            : "",
          mdCode(f.code),
          mdText(f.message),
          mdText(f.hint ?? ""),
        ]),
      ),
      "",
    );
  }
  if (r.skipped.length > 0)
    out.push(
      `<details><summary>${r.skipped.length} files skipped</summary>`,
      "",
      ...r.skipped.map((k) => `- ${mdCode(k.path)}: ${mdText(k.reason)}`),
      "",
      "</details>",
      "",
    );
  out.push(
    "<details><summary>Assumptions</summary>",
    "",
    ...r.inputs.assumptions.map((a) => `- ${mdText(a)}`),
    "",
    "</details>",
    "",
  );
  return `${out.join("\n")}`;
};
