// Markdown for PR comments and $GITHUB_STEP_SUMMARY (GitHub-flavoured: tables, no raw HTML from values). An audit
// gets its summary tables, then one table row per setting and per finding.

import type { Severity } from "../../model/finding.js";
import type { StageResult } from "../../model/stage.js";
import type { Finding } from "../../rules/registry.js";
import { type AuditReport, allFindings } from "../audit.js";
import { isAuditReport } from "../kinds.js";
import type { Report } from "../report.js";
import {
  configuredModeLine,
  countBySeverity,
  describeLocation,
  describeSource,
  endpointHeadlines,
  evidenceText,
  extraFields,
  okSymbol,
  okWord,
  reportPooler,
  SECTION_TITLES,
  SEVERITY_ORDER,
  sessionLine,
  settingName,
  settingOrigin,
  settingWhere,
  settingWorst,
  showsSection,
  sortFindings,
  tlsText,
} from "./common.js";
import type { Section } from "./families.js";
import { sectionOf } from "./families.js";
import { CLIENT_HEADER, clientRows, opsRows } from "./ops.js";
import { sanitizeReport } from "./sanitize.js";
import type { Renderer, RenderOptions } from "./types.js";

const SEVERITY_BADGE: Record<Severity, string> = { error: "❌ error", warning: "⚠️ warning", info: "ℹ️ info" };
const STATUS_BADGE = { pass: "✅ pass", warn: "⚠️ warn", fail: "❌ fail" } as const;

/** Plain text in Markdown: every character that could start markup is escaped, newlines become <br>. */
export function mdText(value: string): string {
  return (
    value
      .replace(/[\\`*[\]<>|#~!]/g, (c) => `\\${c}`)
      // GFM never reads an underscore between two letters as emphasis (pg_hba, PGCONNECT_TIMEOUT stay readable).
      .replace(/_/g, (c, i: number, s: string) =>
        /\w/.test(s[i - 1] ?? "") && /\w/.test(s[i + 1] ?? "") ? c : `\\${c}`,
      )
      .replace(/&/g, "&amp;")
      .replace(/\r?\n/g, "<br>")
  );
}

/**
 * A code span holding any value: a backtick fence longer than the longest backtick run inside, and `|`
 * escaped (GFM splits table cells at `|` even inside code spans; `\|` is its documented escape).
 */
export function mdCode(value: string): string {
  const flat = value.replace(/\r?\n/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat === "" ? " " : "";
  return `${fence}${pad}${flat.replace(/\|/g, "\\|")}${pad}${fence}`;
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
}

function stageNote(stage: StageResult<unknown>): string[] {
  if (stage.status === "completed") return [];
  const reason = mdText(stage.reason);
  return [stage.status === "error" ? `❌ **Could not run:** ${reason}` : `_Skipped: ${reason}_`, ""];
}

function connection(report: Report): string[] {
  const out = [`- **From:** ${mdText(describeSource(report.input.source))}`];
  if (report.input.redacted !== null) out.push(`- **Value:** ${mdCode(report.input.redacted)}`);
  const c = report.conninfo;
  if (c === null) {
    out.push("- ❌ No connection string was read, so nothing else could be checked.", "");
    return out;
  }
  out.push(`- **Format:** ${c.format}, libpq ${report.input.libpqMajor} rules`);
  const client = report.input.client;
  if (client) out.push(`- **Client:** ${mdText(`${client.name}: ${client.description} (${client.chosenBecause})`)}`);
  out.push(`- **libpq:** ${(c.libpqValid ?? c.valid) ? "✅ would accept these parameters" : "❌ would refuse them"}`);
  if (c.sqlalchemy?.valid === false) out.push("- **SQLAlchemy:** ❌ would refuse the URL (see the findings)");
  for (const e of c.errors) out.push(`  - libpq (${e.stage}): ${mdCode(e.message)}`);
  out.push("");
  const rows = Object.entries(c.effective).map(([k, p]) => [
    mdCode(k),
    mdCode(p.value),
    mdText(`${p.source}${p.detail ? `: ${p.detail}` : ""}`),
  ]);
  for (const [k, v] of Object.entries(c.params))
    if (!(k in c.effective)) rows.push([mdCode(k), mdCode(v), "connstring"]);
  if (rows.length > 0) out.push(...table(["parameter", "value", "source"], rows), "");
  return out;
}

function files(report: Report, verbose: boolean): string[] {
  if (report.files.status !== "completed") return stageNote(report.files);
  const list = report.files.value.files ?? [];
  if (list.length === 0) return ["_No files to check._", ""];
  const rows = list.map((f) => [
    f.exists && f.opensslError !== undefined && f.role !== "sslcrl"
      ? "❌ unreadable"
      : f.exists
        ? "✅ found"
        : f.origin === "explicit"
          ? "❌ not found"
          : "➖ not found",
    mdCode(f.role),
    mdCode(f.path),
    f.origin,
    verbose
      ? extraFields(f, ["role", "path", "origin", "exists"])
          .map(([k, v]) => `${mdText(k)}: ${mdText(v)}`)
          .join("<br>")
      : "",
  ]);
  const header = ["", "role", "path", "origin"];
  return [...table(verbose ? [...header, "details"] : header, verbose ? rows : rows.map((r) => r.slice(0, 4))), ""];
}

function server(report: Report, verbose: boolean): string[] {
  if (report.server.status !== "completed") return stageNote(report.server);
  const out: string[] = [];
  for (const e of report.server.value.endpoints ?? []) {
    out.push(`- ${mdCode(`${e.host}:${e.port}`)}${e.address && e.address !== e.host ? ` (${mdText(e.address)})` : ""}`);
    for (const [label, ok, text] of endpointHeadlines(e))
      out.push(`  - ${ok === true ? "✅" : ok === false ? "❌" : "➖"} ${mdText(label)}: ${mdText(text)}`);
    if (verbose)
      for (const [k, v] of extraFields(e, ["host", "port", "address"])) out.push(`  - ${mdText(k)}: ${mdText(v)}`);
  }
  const session = report.server.value.session;
  if (session) out.push(`- Server's view: ${mdText(sessionLine(session, reportPooler(report)))}`);
  return [...out, ""];
}

function modes(report: Report): string[] {
  if (report.modes.length === 0) return ["_Not tried: no live attempts were made._", ""];
  const rows = report.modes.map((m) => [
    `${mdCode(m.sslmode)}${m.sslmode === report.verdict.configuredMode ? " (configured)" : ""}`,
    `${okSymbol(m.ok)} ${okWord(m.ok)}`,
    mdText(m.stage),
    m.credentialsSent ? "yes" : "no",
    mdText(tlsText(m)),
    mdText(m.message ?? ""),
  ]);
  return [...table(["sslmode", "ok", "stage", "credentials sent", "TLS", "message"], rows), ""];
}

function ops(report: Report): string[] {
  if (report.ops === undefined) return [];
  if (report.ops.status !== "completed") return stageNote(report.ops);
  const out = opsRows(report.ops.value, report.findings).map(
    ([label, ok, text]) => `- ${ok === true ? "✅" : ok === false ? "❌" : "➖"} **${mdText(label)}:** ${mdText(text)}`,
  );
  out.push("");
  const clients = clientRows(report.ops.value);
  if (clients.length > 0)
    out.push(
      ...table(
        [...CLIENT_HEADER],
        clients.map((r) => r.map((c) => mdText(c))),
      ),
      "",
    );
  return out;
}

function findingsTable(findings: readonly Finding[], verbose: boolean): string[] {
  if (findings.length === 0) return [];
  const rows = findings.map((f) => {
    const fix = f.hint ? mdText(f.hint) : "";
    const evidence =
      verbose && f.evidence
        ? Object.entries(f.evidence)
            .map(([k, v]) => `${mdText(k)}: ${mdCode(evidenceText(v))}`)
            .join("<br>")
        : "";
    const code = f.docs ? `[${mdCode(f.code)}](${f.docs.replace(/[()\s]/g, encodeURIComponent)})` : mdCode(f.code);
    return [
      SEVERITY_BADGE[f.severity],
      code,
      mdText(f.location ? describeLocation(f.location) : f.subject),
      mdText(f.message) + (evidence ? `<br>${evidence}` : ""),
      fix,
    ];
  });
  return [...table(["severity", "code", "where", "message", "fix"], rows), ""];
}

const BODIES: Record<Exclude<Section, "other">, (r: Report, verbose: boolean) => string[]> = {
  connection: (r) => connection(r),
  files,
  server,
  modes: (r) => modes(r),
  ops: (r) => ops(r),
};

function reportMarkdown(report: Report, options: RenderOptions): string {
  const v = report.verdict;
  const counts = countBySeverity(report.findings);
  const out = [
    `## dbdoctor ${report.command}: ${STATUS_BADGE[v.status]}`,
    "",
    mdText(v.summary),
    "",
    `| verdict | configured sslmode | strongest sslmode that works | errors | warnings | info |`,
    `| --- | --- | --- | --- | --- | --- |`,
    `| ${STATUS_BADGE[v.status]} | ${mdText(configuredModeLine(report))} | ${v.strongestOkMode === "undecided" ? `undecided (${mdCode(v.strongestCandidate ?? "?")}: password not sent)` : v.strongestOkMode ? mdCode(v.strongestOkMode) : "none"} | ${SEVERITY_ORDER.map((s) => counts[s]).join(" | ")} |`,
    "",
  ];
  for (const section of ["connection", "files", "server", "modes", "ops", "other"] as const) {
    if (!showsSection(report, section)) continue;
    out.push(`### ${SECTION_TITLES[section]}`, "");
    if (section !== "other") out.push(...BODIES[section](report, options.verbose));
    out.push(
      ...findingsTable(sortFindings(report.findings.filter((f) => sectionOf(f.code) === section)), options.verbose),
    );
  }
  const who = report.input.client
    ? `${report.input.client.name} (libpq ${report.input.client.libpq})`
    : `libpq ${report.input.libpqMajor} rules`;
  out.push(`<sub>dbdoctor ${mdText(report.tool.version)}, ${mdText(who)}</sub>`);
  return `${out.join("\n")}\n`;
}

function auditMarkdown(r: AuditReport): string {
  const s = r.summary;
  const out: string[] = [`## dbdoctor audit: ${STATUS_BADGE[r.verdict.status]}`, "", mdText(r.verdict.summary), ""];
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
          const w = settingWorst(st);
          return [
            w === null ? "✅ ok" : SEVERITY_BADGE[w],
            mdCode(settingWhere(st)),
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
          SEVERITY_BADGE[f.severity],
          f.location ? mdCode(describeLocation(f.location)) : "",
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
  return out.join("\n");
}

export const renderMarkdown: Renderer = (raw, options) => {
  const report = sanitizeReport(raw);
  return isAuditReport(report) ? auditMarkdown(report) : reportMarkdown(report, options);
};
