// The stages of `check` after the connection string: the files, then (unless --offline) the server probe, the
// sslmode matrix and the operations stage side by side. Each stage says when it could not run; the matrix and the
// operations facts are judged by the one rules pass in engine/check.ts.
import { homedir } from "node:os";
import type { ConninfoAnalysis } from "../conninfo/analyze.js";
import { validateOptions } from "../conninfo/libpq.js";
import type { ModeResult } from "../model/mode.js";
import type { EngineOptions } from "../model/options.js";
import { isSslMode, type SslMode } from "../model/sslmode.js";
import type { StageResult } from "../model/stage.js";
import { runMatrix } from "../modes/matrix.js";
import { currentOsUser } from "../modes/request.js";
import type { ConnectionTarget, MatrixFacts } from "../modes/types.js";
import { identifyPooler } from "../ops/pooler.js";
import { wireSigns } from "../ops/pooler-wire.js";
import { runOpsStage } from "../ops/stage.js";
import type { OpsFacts } from "../ops/types.js";
import type { FileAnalysis } from "../pki/analyze.js";
import { runFilesStage } from "../pki/stage.js";
import type { FilesFacts } from "../pki/types.js";
import { runServerStage } from "../probe/stage.js";
import type { CertFacts, ProbedServer, ServerFacts } from "../probe/types.js";
import type { EnvFileEntry } from "../resolve/index.js";
import { CLIENT_SECURITY_LEVEL } from "../rules/certs/policy.js";
import { fixFor } from "../rules/modes/fix.js";

export interface LiveParts {
  files: StageResult<FilesFacts>;
  server: StageResult<ServerFacts>;
  ops: StageResult<OpsFacts>;
  modes: ModeResult[];
  /** What the rules pass judges: the files, the probe, the matrix and the operations, each when its stage ran. */
  judged: { files?: FileAnalysis; server?: ProbedServer; modes?: MatrixFacts; ops?: OpsFacts };
  /** The clock of the run, the one the stages measured with. */
  now: Date;
  timings: Record<string, number>;
  summary?: string;
}

function leafOf(server: StageResult<ServerFacts>): CertFacts | undefined {
  if (server.status !== "completed") return undefined;
  return server.value.endpoints.find((e) => e.tls?.chain?.length)?.tls?.chain?.[0];
}

/** Names on the certificate, SANs first (as libpq looks at them), else the CN. */
function certNames(leaf: CertFacts | undefined): string[] {
  if (!leaf) return [];
  const sans = (leaf.subjectAltName ?? "")
    .split(/,\s*/)
    .map((s) => s.replace(/^(DNS|IP Address):/, ""))
    .filter((s) => s !== "");
  if (sans.length) return sans;
  const cn = /CN=([^,/]+)/.exec(leaf.subject)?.[1];
  return cn ? [cn] : [];
}

function summarize(
  configured: ModeResult | undefined,
  best: ModeResult | undefined,
  fix: ConnectionTarget,
): string | undefined {
  if (!configured) return undefined;
  const m = `sslmode=${configured.sslmode}`;
  if (configured.ok === false)
    return `${m} fails (${configured.code ?? configured.stage}). ${fixFor(configured.code, fix)}`;
  if (configured.ok === null) return `${m}: could not be decided (${configured.message ?? "see the matrix"})`;
  const how = configured.encrypted
    ? `encrypted${configured.tls ? ` with ${configured.tls.protocol}` : ""}`
    : "NOT encrypted";
  const stronger =
    best && best.sslmode !== configured.sslmode && best.sslmode === "verify-full"
      ? "; verify-full also works: use it"
      : "";
  return `${m} works, ${how}${stronger}`;
}

export interface CapacityOptions {
  instances: number;
  workers?: number;
  /** Variables from the --env-file files (pool settings live there). */
  fileVars: Record<string, EnvFileEntry>;
}

export async function runLiveStages(
  analysis: ConninfoAnalysis,
  common: EngineOptions,
  env: NodeJS.ProcessEnv,
  capacity: CapacityOptions,
): Promise<LiveParts> {
  const timings: Record<string, number> = {};
  const now = new Date();
  const facts = analysis.facts;
  const values = analysis.values;
  const t0 = performance.now();
  const filesStage = await runFilesStage(facts.effective, {
    libpq: common.libpq,
    now,
    securityLevel: CLIENT_SECURITY_LEVEL,
    env,
    ...(values.user ? { user: values.user } : {}),
    ...(values.sslpassword ? { sslpassword: values.sslpassword } : {}),
  });
  timings.files = Math.round(performance.now() - t0);
  const judgedFiles = filesStage.analysis ? { files: filesStage.analysis } : {};

  const mode = facts.effective.sslmode?.value;
  const configuredMode: SslMode | null = mode !== undefined && isSslMode(mode) ? mode : null;
  const refused = !facts.valid && facts.errors.some((e) => e.stage === "parse");
  const opsStage = (offline: boolean, liveBlocked?: string) =>
    runOpsStage({
      values,
      hosts: facts.hosts,
      configuredMode,
      fileVars: capacity.fileVars,
      env,
      home: env.HOME ?? homedir(),
      major: common.libpq,
      timeoutMs: common.timeoutMs,
      instances: capacity.instances,
      ...(capacity.workers !== undefined ? { workers: capacity.workers } : {}),
      offline,
      ...(liveBlocked ? { liveBlocked } : {}),
    });

  const skip = async (reason: string): Promise<LiveParts> => {
    const ops = await opsStage(true);
    return {
      files: filesStage.result,
      server: { status: "skipped", reason },
      ops,
      modes: [],
      judged: { ...judgedFiles, ...(ops.status === "completed" ? { ops: ops.value } : {}) },
      now,
      timings,
    };
  };
  if (common.offline) return skip("--offline: no network");
  if (refused) return skip("libpq would refuse the connection string before any network");

  const t1 = performance.now();
  const [server, matrix, opsResult] = await Promise.all([
    runServerStage({
      timeoutMs: common.timeoutMs,
      libpq: common.libpq,
      now,
      securityLevel: CLIENT_SECURITY_LEVEL,
      effective: facts.effective,
      hosts: facts.hosts,
    }).then((r) => {
      timings.server = Math.round(performance.now() - t1);
      return r;
    }),
    runMatrix({
      values,
      hosts: facts.hosts,
      configuredMode,
      home: env.HOME ?? homedir(),
      major: common.libpq,
      timeoutMs: common.timeoutMs,
      authProbe: common.authProbe,
      osUser: currentOsUser(),
      optionErrorFor: (m) => validateOptions({ ...values, sslmode: m }, common.libpq)[0]?.message ?? null,
    }).then((r) => {
      timings.modes = Math.round(performance.now() - t1);
      return r;
    }),
    opsStage(false).then((r) => {
      timings.ops = Math.round(performance.now() - t1);
      return r;
    }),
  ]);
  // What the matrix and the probe saw adds to the operations session's signs of a pooler (ops/pooler.ts).
  let ops = opsResult;
  if (ops.status === "completed") {
    const o = ops.value;
    const signs = o.live.status === "completed" ? o.live.value.poolerSigns : undefined;
    const clientCert =
      filesStage.result.status === "completed" &&
      filesStage.result.value.files.some((f) => f.role === "sslcert" && f.exists && (f.certificates?.length ?? 0) > 0);
    const wire = wireSigns(
      matrix.runs,
      server.status === "completed" ? server.value : undefined,
      matrix.session,
      clientCert,
    );
    const pooler = identifyPooler({
      ...(signs ? { session: signs } : {}),
      ...(o.poolerStartup ? { startup: o.poolerStartup } : {}),
      wire,
      provider: o.provider,
    });
    ops = { status: "completed", value: { ...o, pooler } };
  }
  const found = ops.status === "completed" ? ops.value.pooler : null;
  const detected = found && found.confidence !== "possible" ? found : undefined;
  let serverResult = server;
  if (serverResult.status === "completed" && matrix.session) {
    serverResult = { status: "completed", value: { ...serverResult.value, session: matrix.session } };
  }
  const leaf = leafOf(serverResult);
  const first = facts.hosts[0];
  const fix: ConnectionTarget = {
    host: first?.host ?? "localhost",
    user: values.user ?? currentOsUser(),
    database: values.dbname ?? values.user ?? currentOsUser(),
    certNames: certNames(leaf),
    ...(leaf ? { certIssuer: leaf.issuer } : {}),
    ...(values.sslrootcert ? { rootPath: values.sslrootcert } : {}),
    // The probe's measurement: the sent chain stops below the root file's CAs (an intermediate is missing).
    ...(detected ? { pooler: { kind: detected.kind, name: detected.name } } : {}),
    chainIncomplete:
      server.status === "completed" &&
      server.value.endpoints.some(
        (e) =>
          e.chain?.ok === false && (e.chain.missingIssuer !== undefined || e.chain.reason === "missing-intermediate"),
      ),
  };
  const modes = matrix.runs.map((r) => r.result);
  const withheld = matrix.runs.filter((r) => r.attempts.some((a) => a.withheld)).map((r) => r.result.sslmode);
  const matrixFacts: MatrixFacts = {
    results: modes,
    withheld,
    configuredMode,
    authProbe: common.authProbe,
    target: fix,
  };
  const configured = modes.find((m) => m.sslmode === configuredMode);
  const best = [...modes].reverse().find((m) => m.ok === true);
  const summary = summarize(configured, best, fix);
  const sslmode = facts.effective.sslmode?.value;
  const probe: ProbedServer | undefined =
    server.status === "completed" ? { facts: server.value, ...(sslmode !== undefined ? { sslmode } : {}) } : undefined;
  return {
    files: filesStage.result,
    server: serverResult,
    ops,
    modes,
    judged: {
      ...judgedFiles,
      ...(probe ? { server: probe } : {}),
      modes: matrixFacts,
      ...(ops.status === "completed" ? { ops: ops.value } : {}),
    },
    now,
    timings,
    ...(summary ? { summary } : {}),
  };
}
