// dbdoctor audit: find every PostgreSQL connection setting in a tree of configuration files and run each through
// the offline pipeline (optionally probing the servers with --live). Discovery, extraction, the per-setting
// pipeline and the probes live in src/audit/ and return facts; this module runs them, judges the facts (one rules
// pass per file that had problems and per setting) and builds the report.

import { discover } from "../audit/discover.js";
import { extractFile } from "../audit/extract/index.js";
import { probeServers } from "../audit/live.js";
import { ASSUMPTIONS, AuditPipeline, aboutUnknownHome } from "../audit/pipeline.js";
import type { AuditOptions, AuditServer, RawSetting } from "../audit/types.js";
import { UsageError } from "../errors.js";
import type { Interaction } from "../model/interaction.js";
import { DEADLINE_FACTOR, type EngineOptions, type FailOn } from "../model/options.js";
import { type AuditReport, type AuditSetting, buildAuditReport, placeFinding } from "../report/audit.js";
import { CLIENT_SECURITY_LEVEL } from "../rules/certs/policy.js";
import { type Finding, judge } from "../rules/registry.js";
import { RunScope } from "../run/scope.js";

function strings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String).filter((s) => s !== "");
}

export function auditOptionsFrom(
  args: Record<string, unknown>,
  common: EngineOptions & { failOn: FailOn },
): AuditOptions {
  const paths = strings(args.paths);
  if (paths.length === 0) throw new UsageError("audit needs at least one file or directory", "e.g. dbdoctor audit .");
  const concurrency = Number(args.concurrency ?? 8);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
    throw new UsageError(
      `--concurrency ${String(args.concurrency)} is not a whole number from 1 to 256`,
      "The default is 8.",
    );
  if (args.live && common.offline)
    throw new UsageError("--live and --offline contradict each other", "Drop one of them.");
  return {
    paths,
    include: strings(args.include),
    exclude: strings(args.exclude),
    live: Boolean(args.live),
    concurrency,
    libpq: common.libpq,
    urlStyle: common.urlStyle,
    timeoutMs: common.timeoutMs,
    failOn: common.failOn,
    deadlineMs: common.deadlineMs,
    warnDays: 30,
    securityLevel: CLIENT_SECURITY_LEVEL,
    now: new Date(),
    cwd: process.cwd(),
  };
}

export async function runAuditWith(o: AuditOptions, io: Interaction = {}, scope?: RunScope): Promise<AuditReport> {
  const t0 = performance.now();
  const found = discover(o.paths, { include: o.include, exclude: o.exclude, cwd: o.cwd });
  const t1 = performance.now();

  const raws: RawSetting[] = [];
  const fileFindings: Finding[] = [];
  const files: AuditReport["files"] = [];
  for (const f of found.files) {
    const r = extractFile(f.abs, f.display);
    raws.push(...r.settings);
    if (r.problems.length > 0)
      fileFindings.push(...judge({ command: "audit", now: o.now, audit: { problems: r.problems } }));
    files.push({ path: f.display, kind: r.source, settings: r.settings.length });
  }
  const t2 = performance.now();

  const pipeline = new AuditPipeline(o);
  const settings: AuditSetting[] = [];
  for (const [i, raw] of raws.entries()) {
    const m = await pipeline.run(raw, i);
    // One rules pass over the setting and the files it names (findings about libpq's defaults under the unknown
    // application home say nothing: dropped).
    const judged = judge(
      {
        command: "audit",
        now: o.now,
        ...m.conninfo,
        audit: { setting: m.stored },
        ...(m.files ? { files: m.files } : {}),
      },
      { warnDays: o.warnDays },
    ).filter((f) => !aboutUnknownHome(f));
    const { path, base64, ...facts } = m.facts;
    // The JSON keeps its key order: the findings before the optional path and base64.
    const setting: AuditSetting = {
      ...facts,
      findings: judged.map((f) => placeFinding(f, facts.location)),
    };
    if (path !== undefined) setting.path = path;
    if (base64) setting.base64 = true;
    settings.push(setting);
  }
  const t3 = performance.now();

  let servers: AuditServer[] = [];
  if (o.live) {
    // Without the CLI's scope (a test, a library caller), the live stage owns its sockets and deadline itself.
    const own = scope ? null : new RunScope(o.deadlineMs ?? DEADLINE_FACTOR * o.timeoutMs);
    const live = await probeServers(pipeline.probes, {
      concurrency: o.concurrency,
      timeoutMs: o.timeoutMs,
      libpq: o.libpq,
      now: o.now,
      securityLevel: o.securityLevel,
      scope: (scope ?? own) as RunScope,
      ...(io.progress ? { progress: io.progress } : {}),
    }).finally(async () => {
      if (own) {
        await own.drain();
        own.close();
      }
    });
    servers = live.servers;
    for (const s of settings)
      for (const server of live.probed.get(s.id) ?? [])
        for (const f of judge({ command: "audit", now: o.now, server }, { warnDays: o.warnDays }))
          s.findings.push(placeFinding(f, s.location));
  }
  const t4 = performance.now();

  return buildAuditReport({
    inputs: {
      paths: o.paths,
      include: o.include,
      exclude: o.exclude,
      live: o.live,
      libpqMajor: o.libpq,
      assumptions: [
        ...ASSUMPTIONS,
        o.live
          ? "--live: each distinct server (host:port with the same TLS settings) was probed once, without sending any credential."
          : "Offline: no server was contacted (use --live to probe them).",
      ],
    },
    files,
    skipped: found.skipped,
    settings,
    fileFindings,
    servers,
    failOn: o.failOn,
    timings: {
      discover: Math.round(t1 - t0),
      extract: Math.round(t2 - t1),
      pipeline: Math.round(t3 - t2),
      ...(o.live ? { live: Math.round(t4 - t3) } : {}),
    },
    now: o.now,
  });
}

export async function runAudit(
  args: Record<string, unknown>,
  common: EngineOptions & { failOn: FailOn },
  io: Interaction = {},
  scope?: RunScope,
): Promise<AuditReport> {
  return runAuditWith(auditOptionsFrom(args, common), io, scope);
}
