import { Chalk } from "chalk";
import type { Report } from "../report.js";
import type { Finding, Severity } from "../types.js";
import type { Renderer } from "./types.js";

const SYMBOL: Record<Severity, string> = { error: "✗", warning: "!", info: "i" };

function findingLines(f: Finding, paint: InstanceType<typeof Chalk>): string[] {
  const colour = f.severity === "error" ? paint.red : f.severity === "warning" ? paint.yellow : paint.cyan;
  const where = f.location ? ` (${f.location.file}${f.location.line ? `:${f.location.line}` : ""})` : "";
  const lines = [`  ${colour(`${SYMBOL[f.severity]} ${f.severity}`)} ${f.message}${where} ${paint.dim(`[${f.code}]`)}`];
  if (f.hint) lines.push(`      ${paint.dim("fix:")} ${f.hint}`);
  return lines;
}

export const renderText: Renderer = (report: Report, options) => {
  const paint = new Chalk({ level: options.color ? 1 : 0 });
  const out: string[] = [];
  if (report.conninfo) {
    out.push(paint.bold("Connection string"));
    const src = report.input.source;
    const from =
      src.kind === "env-file"
        ? `${src.file}:${src.line} (${src.variable})`
        : src.kind === "env"
          ? `environment variable ${src.variable}`
          : src.kind === "argument"
            ? "command-line argument"
            : "nowhere";
    out.push(`  from: ${from}`);
    if (report.input.redacted !== null) out.push(`  value: ${report.input.redacted}`);
    for (const [k, p] of Object.entries(report.conninfo.effective)) {
      out.push(`  ${k.padEnd(26)} ${p.value}  ${paint.dim(`(${p.source}${p.detail ? `: ${p.detail}` : ""})`)}`);
    }
    out.push("");
  }
  out.push(paint.bold("Findings"));
  if (report.findings.length === 0) out.push(`  ${paint.green("✓")} none`);
  for (const f of report.findings) out.push(...findingLines(f, paint));
  out.push("");
  const v = report.verdict;
  const badge =
    v.status === "pass" ? paint.green("✓ pass") : v.status === "warn" ? paint.yellow("! warn") : paint.red("✗ fail");
  out.push(`${paint.bold("Verdict")} ${badge}: ${v.summary}`);
  return `${out.join("\n")}\n`;
};
