// The terminal report: sections in pipeline order, symbols and words carrying the meaning (colour only helps),
// every problem with its fix, wrapped to the terminal with hanging indents. An audit gets its summary table, then
// each setting with its findings, the file problems, what was skipped and the assumptions behind the verdict.
import { Chalk, type ChalkInstance } from "chalk";
import type { Severity } from "../../model/finding.js";
import type { ModeResult } from "../../model/mode.js";
import type { StageResult } from "../../model/stage.js";
import type { Finding } from "../../rules/registry.js";
import type { AuditReport } from "../audit.js";
import { isAuditReport } from "../kinds.js";
import type { Report } from "../report.js";
import {
  configuredModeLine,
  describeLocation,
  describeSource,
  endpointHeadlines,
  evidenceText,
  extraFields,
  findingsIn,
  okSymbol,
  okWord,
  reportPooler,
  SECTION_TITLES,
  SEVERITY_SYMBOL,
  sessionLine,
  settingName,
  settingOrigin,
  settingWhere,
  settingWorst,
  showsSection,
  sortFindings,
  stageProblem,
  tlsText,
} from "./common.js";
import type { Section } from "./families.js";
import { CLIENT_HEADER, clientRows, opsRows } from "./ops.js";
import { sanitizeReport } from "./sanitize.js";
import { renderTable } from "./table.js";
import type { Renderer, RenderOptions } from "./types.js";
import { hanging, padEnd } from "./wrap.js";

interface Ctx {
  paint: ChalkInstance;
  width: number | undefined;
  verbose: boolean;
}

const SEVERITY_WORD_WIDTH = 7; // "warning"

function severityColour(ctx: Pick<Ctx, "paint">, severity: Severity): (s: string) => string {
  return severity === "error" ? ctx.paint.red : severity === "warning" ? ctx.paint.yellow : ctx.paint.cyan;
}

function findingLines(ctx: Ctx, f: Finding): string[] {
  const label = severityColour(
    ctx,
    f.severity,
  )(`${SEVERITY_SYMBOL[f.severity]} ${padEnd(f.severity, SEVERITY_WORD_WIDTH)}`);
  const out = hanging(`  ${label} `, f.message, ctx.width);
  // Under the message: "  ✗ " + the padded severity word + " ".
  const inner = " ".repeat(5 + SEVERITY_WORD_WIDTH);
  if (f.hint) out.push(...hanging(`${inner}${ctx.paint.bold("fix:")} `, f.hint, ctx.width));
  const location = f.location ? describeLocation(f.location) : null;
  const where = [
    f.code,
    f.subject,
    location !== f.subject ? location : null,
    f.causedBy ? `caused by ${f.causedBy}` : null,
  ]
    .filter(Boolean)
    .join(" · ");
  out.push(...hanging(inner, ctx.paint.dim(where), ctx.width));
  if (ctx.verbose && f.evidence && Object.keys(f.evidence).length > 0) {
    out.push(`${inner}${ctx.paint.dim("evidence:")}`);
    for (const [k, v] of Object.entries(f.evidence))
      out.push(...hanging(`${inner}  ${k}: `, evidenceText(v), ctx.width));
  }
  return out;
}

function heading(ctx: Ctx, title: string): string {
  return ctx.paint.bold(title);
}

/** A stage that did not complete: one dim line when skipped, a red line when it failed. Never a pass. */
function stageLines(ctx: Ctx, title: string, stage: StageResult<unknown>): string[] | null {
  const problem = stageProblem(stage);
  if (problem === null) return null;
  if (stage.status === "skipped") return [ctx.paint.dim(`${title} — ${problem}`)];
  return [heading(ctx, title), ...hanging(`  ${ctx.paint.red("✗")} `, problem, ctx.width)];
}

function kv(ctx: Ctx, label: string, value: string): string[] {
  return hanging(`  ${ctx.paint.dim(padEnd(label, 10))} `, value, ctx.width);
}

function connectionSection(ctx: Ctx, report: Report): string[] {
  const out = [heading(ctx, SECTION_TITLES.connection)];
  out.push(...kv(ctx, "from", describeSource(report.input.source)));
  if (report.input.redacted !== null) out.push(...kv(ctx, "value", report.input.redacted));
  const c = report.conninfo;
  if (c === null) {
    out.push(
      ...hanging(
        `  ${ctx.paint.red("✗")} `,
        "no connection string was read, so nothing else could be checked",
        ctx.width,
      ),
    );
  } else {
    const style = report.input.urlStyle === "sqlalchemy" ? "read as SQLAlchemy does" : "read as libpq does";
    out.push(...kv(ctx, "format", `${c.format}, ${style}, libpq ${report.input.libpqMajor} rules`));
    const client = report.input.client;
    if (client) out.push(...kv(ctx, "client", `${client.name}: ${client.description} (${client.chosenBecause})`));
    out.push(
      ...kv(
        ctx,
        "libpq",
        (c.libpqValid ?? c.valid)
          ? `${ctx.paint.green("✓")} would accept these parameters`
          : `${ctx.paint.red("✗")} would refuse them`,
      ),
    );
    for (const e of c.errors)
      out.push(...hanging(`             ${ctx.paint.dim(`libpq (${e.stage}):`)} `, e.message, ctx.width));
    if (c.sqlalchemy) {
      const s = c.sqlalchemy;
      const parts = [
        `driver ${s.drivername}`,
        `user ${s.username ?? "(none)"}`,
        `host ${s.host ?? "(none)"}`,
        `port ${s.port ?? "(default)"}`,
        `database ${s.database ?? "(none)"}`,
        s.passwordSet ? "password set" : "no password",
      ];
      // libpq and SQLAlchemy judged apart: `postgres://` is fine for libpq, only SQLAlchemy has no such dialect.
      const verdict = s.valid === false ? `${ctx.paint.red("✗")} would refuse the URL; ` : "";
      out.push(...kv(ctx, "SQLAlchemy", `${verdict}${parts.join(", ")}`));
      if (ctx.verbose)
        for (const [k, v] of Object.entries(s.query))
          out.push(...kv(ctx, "", `?${k}=${Array.isArray(v) ? v.join(`&${k}=`) : v}`));
    }
    if (c.hosts.length > 1)
      out.push(
        ...kv(
          ctx,
          "hosts",
          c.hosts.map((h) => `${h.host}:${h.port}${h.hostaddr ? ` (${h.hostaddr})` : ""}`).join(", "),
        ),
      );
    const pw = c.password;
    out.push(
      ...kv(
        ctx,
        "password",
        pw.source === "none"
          ? "none found"
          : `from ${pw.source === "connstring" ? "the connection string" : pw.source}${pw.detail ? ` (${pw.detail})` : ""}`,
      ),
    );
    // Which variable or service set a value matters at a glance; why a default is what it is, in --verbose.
    const showDetail = (source: string) => ctx.verbose || source === "env" || source === "service";
    const rows = Object.entries(c.effective).map(([k, p]) => [
      k,
      p.value,
      ctx.paint.dim(`${p.source}${p.detail && showDetail(p.source) ? `: ${p.detail}` : ""}`),
    ]);
    // Parameters the string sets but libpq does not know have no effective value; show them too.
    for (const [k, v] of Object.entries(c.params))
      if (!(k in c.effective)) rows.push([k, v, ctx.paint.dim("connstring")]);
    if (rows.length > 0) {
      out.push(`  ${ctx.paint.dim("parameters")}`);
      out.push(...renderTable(null, rows, { indent: "    ", width: ctx.width, minLast: 12 }));
    }
  }
  return out;
}

function filesSection(ctx: Ctx, report: Report): string[] {
  const stage = stageLines(ctx, SECTION_TITLES.files, report.files);
  if (stage) return stage;
  const out = [heading(ctx, SECTION_TITLES.files)];
  if (report.files.status !== "completed") return out;
  const files = report.files.value.files ?? [];
  if (files.length === 0) out.push(`  ${ctx.paint.dim("no files to check")}`);
  const rows = files.map((f) => {
    // A file OpenSSL refuses is found but not usable: no green mark for it (the finding says why).
    const refused = f.exists && f.opensslError !== undefined && f.role !== "sslcrl";
    const mark = refused
      ? ctx.paint.red("✗")
      : f.exists
        ? ctx.paint.green("✓")
        : f.origin === "explicit"
          ? ctx.paint.red("✗")
          : ctx.paint.dim("-");
    const state = refused ? "unreadable" : f.exists ? "found" : "not found";
    return [mark, f.role, state, `${f.path} ${ctx.paint.dim(`(${f.from ?? f.origin})`)}`];
  });
  out.push(...renderTable(null, rows, { indent: "  ", width: ctx.width }));
  if (ctx.verbose) {
    for (const f of files) {
      const extra = extraFields(f, ["role", "path", "origin", "from", "exists"]);
      if (extra.length === 0) continue;
      out.push(`    ${ctx.paint.dim(`${f.role}:`)}`);
      for (const [k, v] of extra) out.push(...hanging(`      ${k}: `, v, ctx.width));
    }
    for (const [k, v] of extraFields(report.files.value, ["files"])) out.push(...hanging(`    ${k}: `, v, ctx.width));
  }
  return out;
}

function serverSection(ctx: Ctx, report: Report): string[] {
  const stage = stageLines(ctx, SECTION_TITLES.server, report.server);
  if (stage) return stage;
  const out = [heading(ctx, SECTION_TITLES.server)];
  if (report.server.status !== "completed") return out;
  const endpoints = report.server.value.endpoints ?? [];
  if (endpoints.length === 0) out.push(`  ${ctx.paint.dim("no endpoints probed")}`);
  for (const e of endpoints) {
    out.push(`  ${e.host}:${e.port}${e.address && e.address !== e.host ? ctx.paint.dim(` (${e.address})`) : ""}`);
    const rows = endpointHeadlines(e).map(([label, ok, text]) => [
      ok === true ? ctx.paint.green("✓") : ok === false ? ctx.paint.red("✗") : ctx.paint.dim("-"),
      label,
      text,
    ]);
    out.push(...renderTable(null, rows, { indent: "    ", width: ctx.width }));
    if (ctx.verbose)
      for (const [k, v] of extraFields(e, ["host", "port", "address"]))
        out.push(...hanging(`    ${k}: `, v, ctx.width));
  }
  const session = report.server.value.session;
  if (session) out.push(...hanging("  server's view: ", sessionLine(session, reportPooler(report)), ctx.width));
  if (ctx.verbose)
    for (const [k, v] of extraFields(report.server.value, ["endpoints", "session"]))
      out.push(...hanging(`  ${k}: `, v, ctx.width));
  return out;
}

function modeRow(ctx: Ctx, report: Report, m: ModeResult): string[] {
  const colour = m.ok === true ? ctx.paint.green : m.ok === false ? ctx.paint.red : ctx.paint.yellow;
  const configured = report.verdict.configuredMode === m.sslmode;
  return [
    `${m.sslmode}${configured ? " *" : ""}`,
    colour(`${okSymbol(m.ok)} ${okWord(m.ok)}`),
    m.stage,
    m.credentialsSent ? "yes" : "no",
    tlsText(m),
    m.message ?? "",
  ];
}

function modesSection(ctx: Ctx, report: Report): string[] {
  const out = [heading(ctx, SECTION_TITLES.modes)];
  if (report.modes.length === 0) {
    out.push(
      `  ${ctx.paint.dim(report.command === "check" ? "not tried: no live attempts were made (offline, or the probe could not run)" : "not tried")}`,
    );
    return out;
  }
  const head = ["sslmode", "ok", "stage", "credentials", "TLS", "message"].map((h) => ctx.paint.dim(h));
  out.push(
    ...renderTable(
      head,
      report.modes.map((m) => modeRow(ctx, report, m)),
      { indent: "  ", width: ctx.width },
    ),
  );
  if (report.modes.some((m) => m.sslmode === report.verdict.configuredMode))
    out.push(
      ...hanging(
        "  ",
        ctx.paint.dim("* the configured sslmode; credentials = whether the password was sent"),
        ctx.width,
      ),
    );
  if (ctx.verbose)
    for (const m of report.modes)
      if (m.code || m.durationMs !== undefined)
        out.push(
          ...hanging(
            `  ${ctx.paint.dim(`${m.sslmode}:`)} `,
            ctx.paint.dim(
              [m.code, m.durationMs !== undefined ? `${m.durationMs} ms` : null].filter(Boolean).join(", "),
            ),
            ctx.width,
          ),
        );
  return out;
}

function opsSection(ctx: Ctx, report: Report): string[] {
  const ops = report.ops;
  if (ops === undefined) return [heading(ctx, SECTION_TITLES.ops)];
  const stage = stageLines(ctx, SECTION_TITLES.ops, ops);
  if (stage || ops.status !== "completed") return stage ?? [];
  const out = [heading(ctx, SECTION_TITLES.ops)];
  const rows = opsRows(ops.value, report.findings).map(([label, ok, text]) => [
    ok === true ? ctx.paint.green("✓") : ok === false ? ctx.paint.red("✗") : ctx.paint.dim("-"),
    label,
    text,
  ]);
  out.push(...renderTable(null, rows, { indent: "  ", width: ctx.width }));
  const clients = clientRows(ops.value);
  if (clients.length > 0)
    out.push(
      ...renderTable(
        CLIENT_HEADER.map((h) => ctx.paint.dim(h)),
        clients,
        { indent: "    ", width: ctx.width },
      ),
    );
  return out;
}

function verdictSection(ctx: Ctx, report: Report): string[] {
  const v = report.verdict;
  const badge =
    v.status === "pass"
      ? ctx.paint.green.bold("✓ PASS")
      : v.status === "warn"
        ? ctx.paint.yellow.bold("! WARN")
        : ctx.paint.red.bold("✗ FAIL");
  const out = hanging(`${heading(ctx, "Verdict")}  ${badge}  `, v.summary, ctx.width);
  if ((report.command !== "parse" && report.command !== "certs") || v.configuredMode !== null) {
    out.push(...kv(ctx, "sslmode", configuredModeLine(report)));
  }
  if (v.fix)
    out.push(...kv(ctx, "fix", `${v.fix.value}${v.fix.verified ? " (verified: a live attempt connected)" : ""}`));
  if (report.modes.length > 0)
    out.push(
      ...kv(
        ctx,
        "strongest",
        v.strongestOkMode === "undecided"
          ? `no sslmode was confirmed; sslmode=${v.strongestCandidate ?? "?"} reached the password prompt, but its password was not sent (undecided)`
          : v.strongestOkMode
            ? `${v.strongestOkMode} is the strongest sslmode that works`
            : "no sslmode works",
      ),
    );
  if (ctx.verbose && Object.keys(report.timings).length > 0)
    out.push(
      ...kv(
        ctx,
        "timings",
        Object.entries(report.timings)
          .map(([k, ms]) => `${k} ${ms} ms`)
          .join(", "),
      ),
    );
  return out;
}

const SECTIONS: ReadonlyArray<[Section, (ctx: Ctx, r: Report) => string[]]> = [
  ["connection", connectionSection],
  ["files", filesSection],
  ["server", serverSection],
  ["modes", modesSection],
  ["ops", opsSection],
  ["other", (ctx) => [heading(ctx, SECTION_TITLES.other)]],
];

function reportText(report: Report, options: RenderOptions): string {
  const ctx: Ctx = {
    paint: new Chalk({ level: options.color ? 1 : 0 }),
    width: options.width,
    verbose: options.verbose,
  };
  const blocks: string[][] = [];
  blocks.push([
    ctx.paint.dim(
      `dbdoctor ${report.tool.version} · ${report.command} · ${
        report.input.client
          ? `${report.input.client.name} (libpq ${report.input.client.libpq})`
          : `libpq ${report.input.libpqMajor}`
      }`,
    ),
  ]);
  for (const [section, render] of SECTIONS) {
    if (!showsSection(report, section)) continue;
    const lines = render(ctx, report);
    for (const f of findingsIn(report, section)) lines.push(...findingLines(ctx, f));
    blocks.push(lines);
  }
  blocks.push(verdictSection(ctx, report));
  return `${blocks.map((b) => b.join("\n")).join("\n\n")}\n`;
}

function auditText(r: AuditReport, options: RenderOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const paint = (severity: Severity) => severityColour({ paint: c }, severity);
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
        ["errors", paint("error")(String(s.errors))],
        ["warnings", paint("warning")(String(s.warnings))],
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
    out.push(
      `${indent}${paint(f.severity)(`${SEVERITY_SYMBOL[f.severity]} ${f.severity}`)} ${c.bold(f.code)}: ${message}`,
    );
    if (f.hint) out.push(`${indent}    fix: ${f.hint}`);
    if (f.location && options.verbose) out.push(`${indent}    at: ${describeLocation(f.location)}`);
    if (options.verbose && f.docs) out.push(`${indent}    docs: ${f.docs}`);
  };

  out.push("", c.bold(`Settings (${r.settings.length})`));
  if (r.settings.length === 0) out.push("  No PostgreSQL connection setting found.");
  for (const st of r.settings) {
    const w = settingWorst(st);
    const mark = w === null ? c.green("✓") : paint(w)(SEVERITY_SYMBOL[w]);
    out.push(`  ${mark} ${c.bold(settingWhere(st))}  ${settingName(st)}  (${settingOrigin(st)})`);
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
  const verdictPaint = v.status === "fail" ? paint("error") : v.status === "warn" ? paint("warning") : c.green;
  out.push("", `${c.bold("Verdict:")} ${verdictPaint(v.status.toUpperCase())} - ${v.summary}`);
  return `${out.join("\n")}\n`;
}

export const renderText: Renderer = (raw, options) => {
  const report = sanitizeReport(raw);
  return isAuditReport(report) ? auditText(report, options) : reportText(report, options);
};
