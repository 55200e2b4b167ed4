// dbdoctor audit: find every PostgreSQL connection setting in a tree of configuration files and run each through
// the offline pipeline (optionally probing the servers with --live). Discovery, extraction and the per-setting
// pipeline live in src/audit/; this module wires them together.

import { discover } from "../audit/discover.js";
import { extractFile } from "../audit/extract/index.js";
import { probeServers, progressBar } from "../audit/live.js";
import { ASSUMPTIONS, AuditPipeline, placeFinding } from "../audit/pipeline.js";
import { buildAuditReport, problemFinding } from "../audit/report.js";
import type { AuditOptions, AuditReport, AuditServer, AuditSetting, RawSetting } from "../audit/types.js";
import type { CommonOptions } from "../cli/options.js";
import { DEADLINE_FACTOR } from "../cli/options.js";
import { UsageError } from "../errors.js";
import type { Finding } from "../report/types.js";
import { RunScope } from "../run/scope.js";

function strings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String).filter((s) => s !== "");
}

export function auditOptionsFrom(args: Record<string, unknown>, common: CommonOptions): AuditOptions {
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
    now: new Date(),
    cwd: process.cwd(),
  };
}

export async function runAuditWith(
  o: AuditOptions,
  stderr?: NodeJS.WriteStream,
  scope?: RunScope,
): Promise<AuditReport> {
  const t0 = performance.now();
  const found = discover(o.paths, { include: o.include, exclude: o.exclude, cwd: o.cwd });
  const t1 = performance.now();

  const raws: RawSetting[] = [];
  const fileFindings: Finding[] = [];
  const files: AuditReport["files"] = [];
  for (const f of found.files) {
    const r = extractFile(f.abs, f.display);
    raws.push(...r.settings);
    fileFindings.push(...r.problems.map(problemFinding));
    files.push({ path: f.display, kind: r.source, settings: r.settings.length });
  }
  const t2 = performance.now();

  const pipeline = new AuditPipeline(o);
  const settings: AuditSetting[] = [];
  for (const [i, raw] of raws.entries()) settings.push(await pipeline.run(raw, i));
  const t3 = performance.now();

  let servers: AuditServer[] = [];
  if (o.live) {
    const own = scope ? null : new RunScope(o.deadlineMs ?? DEADLINE_FACTOR * o.timeoutMs);
    const live = await probeServers(pipeline.probes, {
      concurrency: o.concurrency,
      timeoutMs: o.timeoutMs,
      libpq: o.libpq,
      now: o.now,
      scope: (scope ?? own) as RunScope,
      ...(stderr?.isTTY ? { progress: progressBar(stderr) } : {}),
    }).finally(async () => {
      if (own) {
        await own.drain();
        own.close();
      }
    });
    servers = live.servers;
    for (const s of settings)
      for (const f of live.findings.get(s.id) ?? []) s.findings.push(placeFinding(f, s.location));
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
  common: CommonOptions,
  scope: RunScope,
): Promise<AuditReport> {
  return runAuditWith(auditOptionsFrom(args, common), process.stderr, scope);
}
