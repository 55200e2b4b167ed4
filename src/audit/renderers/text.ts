// The terminal report: a summary table (files, settings, severities, counts by rule), then each setting with its
// findings and fixes, the file problems, what was skipped, and the assumptions behind the verdict.
import { Chalk } from "chalk";
import type { Severity } from "../../model/finding.js";
import { describeLocation } from "../../report/renderers/common.js";
import { renderTable } from "../../report/renderers/table.js";
import type { Finding } from "../../rules/registry.js";
import type { AuditReport } from "../types.js";
import { settingName, settingOrigin, sortFindings, where, worst } from "./common.js";
import type { AuditRenderer } from "./index.js";
import { sanitizeAudit } from "./sanitize.js";

const SYMBOL: Record<Severity, string> = { error: "✗", warning: "!", info: "i" };

export const renderAuditText: AuditRenderer = (raw, options) => {
  const r: AuditReport = sanitizeAudit(raw);
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.cyan };
  const width = options.width;
  const out: string[] = [];
  const s = r.summary;
  out.push(c.bold(`dbdoctor audit of ${r.inputs.paths.join(", ")}${r.inputs.live ? " (live)" : " (offline)"}`), "");
  out.push(c.bold("Summary"));
  out.push(
    ...renderTable(
      null,
      [
        ["files read", String(s.files)],
        ["files skipped", String(s.skipped)],
        ["settings", String(s.settings)],
        ["errors", paint.error(String(s.errors))],
        ["warnings", paint.warning(String(s.warnings))],
        ["infos", String(s.infos)],
      ],
      { indent: "  ", width },
    ),
  );
  const byRule = Object.entries(s.byRule);
  if (byRule.length > 0) {
    out.push("");
    out.push(
      ...renderTable(
        ["Rule", "Count"],
        byRule.map(([code, n]) => [code, String(n)]),
        { indent: "  ", width },
      ),
    );
  }

  const line = (f: Finding, indent: string) => {
    const message = f.message.replace(/\n/g, `\n${indent}    `);
    out.push(`${indent}${paint[f.severity](`${SYMBOL[f.severity]} ${f.severity}`)} ${c.bold(f.code)}: ${message}`);
    if (f.hint) out.push(`${indent}    fix: ${f.hint}`);
    if (f.location && options.verbose) out.push(`${indent}    at: ${describeLocation(f.location)}`);
    if (options.verbose && f.docs) out.push(`${indent}    docs: ${f.docs}`);
  };

  out.push("", c.bold(`Settings (${r.settings.length})`));
  if (r.settings.length === 0) out.push("  No PostgreSQL connection setting found.");
  for (const st of r.settings) {
    const w = worst(st);
    const mark = w === null ? c.green("✓") : paint[w](SYMBOL[w]);
    out.push(`  ${mark} ${c.bold(where(st))}  ${settingName(st)}  (${settingOrigin(st)})`);
    out.push(`      ${st.redacted}`);
    if (options.verbose && st.files.status !== "skipped") out.push(`      files stage: ${st.files.status}`);
    if (st.findings.length === 0) out.push(`      ${c.green("no problems found")}`);
    for (const f of sortFindings(st.findings)) line(f, "      ");
  }
  if (r.fileFindings.length > 0) {
    out.push("", c.bold("File problems"));
    for (const f of sortFindings(r.fileFindings)) line(f, "  ");
  }
  if (r.servers.length > 0) {
    out.push("", c.bold("Servers probed (--live)"));
    for (const sv of r.servers) {
      const status = sv.result.status === "completed" ? "probed" : `${sv.result.status}: ${sv.result.reason}`;
      out.push(
        `  ${sv.host}:${sv.port}${sv.hostaddr ? ` (${sv.hostaddr})` : ""}  ${status}  settings ${sv.settings.join(", ")}`,
      );
    }
  }
  if (r.skipped.length > 0) {
    out.push("", c.bold(`Skipped (${r.skipped.length})`));
    const shown = options.verbose ? r.skipped : r.skipped.slice(0, 20);
    for (const k of shown) out.push(`  ${k.path}: ${k.reason}`);
    if (shown.length < r.skipped.length)
      out.push(`  ... and ${r.skipped.length - shown.length} more (--verbose lists them)`);
  }
  out.push("", c.bold("Assumptions"));
  for (const a of r.inputs.assumptions) out.push(`  - ${a}`);
  const v = r.verdict;
  const verdictPaint = v.status === "fail" ? paint.error : v.status === "warn" ? paint.warning : c.green;
  out.push("", `${c.bold("Verdict:")} ${verdictPaint(v.status.toUpperCase())} - ${v.summary}`);
  return `${out.join("\n")}\n`;
};
