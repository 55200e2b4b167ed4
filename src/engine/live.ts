// The stages of `check` after the connection string: the files, then (unless --offline) the server probe, the
// sslmode matrix and the operations stage side by side. Each stage says when it could not run; the matrix and the
// operations facts are judged by the one rules pass in engine/check.ts.
import { homedir } from "node:os";
import type { ConninfoAnalysis } from "../conninfo/analyze.js";
import { validateOptions } from "../conninfo/libpq.js";
import { withHostAndAddress } from "../conninfo/rewrite.js";
import type { ClientProfile } from "../model/client.js";
import type { SettingFix } from "../model/finding.js";
import type { InputSource } from "../model/input.js";
import type { ModeResult } from "../model/mode.js";
import type { EngineOptions } from "../model/options.js";
import { EXTERNAL_TEXT_FIELDS, makeRunScrubber, scrubFields } from "../model/redaction.js";
import { isSslMode, type SslMode } from "../model/sslmode.js";
import type { StageResult } from "../model/stage.js";
import { ClientTlsCache } from "../modes/client-tls.js";
import { prepareMatrix, runMatrix } from "../modes/matrix.js";
import { currentOsUser } from "../modes/request.js";
import type { ConnectionTarget, MatrixFacts } from "../modes/types.js";
import { identifyPooler } from "../ops/pooler.js";
import { wireSigns } from "../ops/pooler-wire.js";
import { runOpsStage } from "../ops/stage.js";
import type { OpsFacts } from "../ops/types.js";
import type { FileAnalysis } from "../pki/analyze.js";
import { runFilesStage } from "../pki/stage.js";
import type { FilesFacts } from "../pki/types.js";
import { prepareProbe } from "../probe/probe.js";
import { carrySentChains } from "../probe/sent-chain.js";
import { runServerStage } from "../probe/stage.js";
import type { CertFacts, ProbedServer, ServerFacts } from "../probe/types.js";
import type { EnvFileEntry } from "../resolve/index.js";
import { CLIENT_SECURITY_LEVEL } from "../rules/certs/policy.js";
import { fixFor, tunnelFix } from "../rules/modes/fix.js";
import { deadlineMessage, type RunScope } from "../run/scope.js";

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
  setting?: SettingFix,
): string | undefined {
  if (!configured) return undefined;
  const m = `sslmode=${configured.sslmode}`;
  if (configured.ok === false) {
    const tried = setting?.verified ? " (verified: dbdoctor connected with it)" : "";
    return `${m} fails (${configured.code ?? configured.stage}). ${fixFor(configured.code, fix)}${tried}`;
  }
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
  /** The client predicted for: its trust store for sslrootcert=system, alert wording, host walk. */
  client?: ClientProfile;
  /** Where the string came from: the verdict's fix is written as that .env line or string. */
  source?: InputSource;
}

export async function runLiveStages(
  analysis: ConninfoAnalysis,
  common: EngineOptions,
  env: NodeJS.ProcessEnv,
  scope: RunScope,
  capacity: CapacityOptions,
): Promise<LiveParts> {
  const timings: Record<string, number> = {};
  const now = new Date();
  // Texts from outside (server messages, socket and OpenSSL errors, exception texts) may quote a piece of this
  // run's password that a misparse made a host or database name: scrubbed here, field by field, as they enter.
  const scrub = makeRunScrubber(analysis.runSecrets);
  const clean = <T>(v: T): T => scrubFields(v, EXTERNAL_TEXT_FIELDS, scrub);
  const facts = analysis.facts;
  const values = analysis.values;
  const t0 = performance.now();
  const filesRaw = await runFilesStage(facts.effective, {
    libpq: common.libpq,
    now,
    securityLevel: CLIENT_SECURITY_LEVEL,
    env,
    ...(values.user ? { user: values.user } : {}),
    ...(values.sslpassword ? { sslpassword: values.sslpassword } : {}),
  });
  const filesStage = { ...filesRaw, result: clean(filesRaw.result) };
  timings.files = Math.round(performance.now() - t0);
  const judgedFiles = filesStage.analysis ? { files: filesStage.analysis } : {};

  const mode = facts.effective.sslmode?.value;
  const configuredMode: SslMode | null = mode !== undefined && isSslMode(mode) ? mode : null;
  const refused = !facts.valid && facts.errors.some((e) => e.stage === "parse");
  const home = env.HOME ?? homedir();
  // The client's TLS files, read and parsed once for the whole run (the matrix and the operations session).
  const tls = new ClientTlsCache({
    values,
    home,
    major: common.libpq,
    ...(capacity.client ? { trustStore: capacity.client.trustStore } : {}),
  });
  const opsStage = async (offline: boolean, liveBlocked?: string) =>
    clean(
      await runOpsStage({
        values,
        hosts: facts.hosts,
        configuredMode,
        fileVars: capacity.fileVars,
        env,
        home,
        major: common.libpq,
        timeoutMs: common.timeoutMs,
        instances: capacity.instances,
        ...(capacity.workers !== undefined ? { workers: capacity.workers } : {}),
        offline,
        ...(liveBlocked ? { liveBlocked } : {}),
        authProbe: common.authProbe,
        scope,
        tls,
      }),
    );

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

  // CPU-heavy preparation first (client files and TLS contexts, the trust store the chain is judged against),
  // so that parsing a bundle of 10,000 certificates cannot eat the network's deadlines; then the clock starts.
  const matrixInput = prepareMatrix({
    values,
    hosts: facts.hosts,
    configuredMode,
    home,
    major: common.libpq,
    timeoutMs: common.timeoutMs,
    authProbe: common.authProbe,
    osUser: currentOsUser(),
    optionErrorFor: (m) => validateOptions({ ...values, sslmode: m }, common.libpq)[0]?.message ?? null,
    scope,
    tls,
    ...(capacity.client ? { client: capacity.client } : {}),
  });
  const probeContext = prepareProbe({
    timeoutMs: common.timeoutMs,
    libpq: common.libpq,
    now,
    securityLevel: CLIENT_SECURITY_LEVEL,
    effective: facts.effective,
    hosts: facts.hosts,
    // The versions only when the handshake fails on them: every refused version is two lines in the server's log.
    options: { scanVersions: "when-needed" },
    scope,
  });
  scope.start();
  const t1 = performance.now();
  const serverCut = (): StageResult<ServerFacts> => ({
    status: "error",
    reason: deadlineMessage(scope, "the server probe finished"),
  });
  const [server, matrix, opsResult] = await Promise.all([
    scope.race(runServerStage(probeContext), serverCut).then((r) => {
      timings.server = Math.round(performance.now() - t1);
      return r;
    }),
    runMatrix(matrixInput).then((r) => {
      timings.modes = Math.round(performance.now() - t1);
      return r;
    }),
    opsStage(false).then((r) => {
      timings.ops = Math.round(performance.now() - t1);
      return r;
    }),
  ]);
  const serverClean = clean(server);
  // --save-chain finds the DER an endpoint sent by the endpoint's facts object: carry it to the scrubbed copy.
  if (server.status === "completed" && serverClean.status === "completed")
    carrySentChains(server.value.endpoints, serverClean.value.endpoints);
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
      serverClean.status === "completed" ? serverClean.value : undefined,
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
  let serverResult = serverClean;
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
  const modes = matrix.runs.map((r) => clean(r.result));
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
  // A fix that can be tried before it is suggested: the tunnel's host=/hostaddr= pair, under the same credential
  // policy (verify-full authenticates the server first, so the password may go).
  const tunnel = configured?.code === "hostname-mismatch" && first ? tunnelFix(fix) : null;
  if (tunnel && first && configuredMode) {
    const retry = await runMatrix({
      values: { ...values, host: tunnel.host, hostaddr: tunnel.hostaddr },
      hosts: [{ ...first, host: tunnel.host, hostaddr: tunnel.hostaddr, kind: "dns" }],
      configuredMode,
      home: env.HOME ?? homedir(),
      major: common.libpq,
      timeoutMs: common.timeoutMs,
      authProbe: common.authProbe,
      osUser: currentOsUser(),
      optionErrorFor: (m) => validateOptions({ ...values, sslmode: m }, common.libpq)[0]?.message ?? null,
    });
    const again = retry.runs.find((r) => r.result.sslmode === configuredMode)?.result;
    const corrected = withHostAndAddress(analysis.redacted, tunnel.host, tunnel.hostaddr);
    const src = capacity.source;
    const named = src?.kind === "env-file" || src?.kind === "env" ? src.variable : null;
    matrixFacts.fix = {
      setting: named ?? "connection string",
      value: named ? `${named}=${corrected}` : corrected,
      verified: again?.ok === true && again.credentialsSent,
    };
  }
  const summary = summarize(configured, best, fix, matrixFacts.fix);
  const sslmode = facts.effective.sslmode?.value;
  const probe: ProbedServer | undefined =
    serverClean.status === "completed"
      ? { facts: serverClean.value, ...(sslmode !== undefined ? { sslmode } : {}) }
      : undefined;
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
