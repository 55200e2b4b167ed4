// The sslmode matrix: for each of libpq's six modes, would libpq establish a session with these settings?
// Each mode runs libpq's plan (plan.ts) against the real server, all modes concurrently; the credential
// policy (DESIGN.md "Credentials on the wire") decides where the password may travel.

import { isIP } from "node:net";
import type { HostEntry } from "../conninfo/types.js";
import type { ClientProfile } from "../model/client.js";
import type { ModeResult } from "../model/mode.js";
import type { AuthProbe, LibpqMajor } from "../model/options.js";
import { SSL_MODES, type SslMode } from "../model/sslmode.js";
import { deadlineMessage, RunScope } from "../run/scope.js";
import { type AttemptOutcome, type AttemptRequest, attempt, type SessionFacts } from "./attempt.js";
import { serverRequestsCertificate } from "./cert-request.js";
import { decidingAttempt, triesNextHost, wordAlerts } from "./client-behaviour.js";
import { ClientTlsCache, type ClientTlsMaterial, secureContextFor } from "./client-tls.js";
import { type ConnectProgress, LIBPQ_CIPHERS } from "./connect.js";
import { passwordPolicy } from "./credentials.js";
import { attemptOrder, type Channel, fallsBack } from "./plan.js";
import { attemptRequest } from "./request.js";

export interface MatrixInput {
  /** Effective libpq values, raw (the password included): never printed. */
  values: Record<string, string | undefined>;
  hosts: HostEntry[];
  /** The sslmode the application uses; null when its setting is invalid. */
  configuredMode: SslMode | null;
  home: string | null;
  major: LibpqMajor;
  timeoutMs: number;
  authProbe: AuthProbe;
  /** Option errors libpq raises before any network for a given sslmode (e.g. weak sslmode with sslrootcert=system). */
  optionErrorFor: (mode: SslMode) => string | null;
  /** The OS user, libpq's default for `user`. */
  osUser: string;
  /** The run's deadline owner; without one the matrix makes its own (three times the timeout). */
  scope?: RunScope;
  /** Client TLS material read once (prepareMatrix); made here when absent. */
  tls?: ClientTlsCache;
  /** The client predicted for: its alert wording, how it walks a host list (model/client.ts). */
  client?: ClientProfile;
}

export interface ModeRun {
  result: ModeResult;
  attempts: AttemptOutcome[];
  session?: SessionFacts;
}

export interface MatrixResult {
  runs: ModeRun[];
  session?: SessionFacts & { sslmode: SslMode };
  passwordKnowledge: PasswordKnowledge;
}

/** What the attempts that did send the password tell about it. */
export type PasswordKnowledge = "accepted" | "rejected" | "unknown";

type PreparedInput = MatrixInput & { scope: RunScope; tls: ClientTlsCache; certRequests: CertRequestMemo };

function requestFor(
  mode: SslMode,
  host: HostEntry,
  channel: Channel,
  input: MatrixInput & { tls: ClientTlsCache },
): AttemptRequest | string {
  return attemptRequest(
    {
      values: input.values,
      mode,
      home: input.home,
      major: input.major,
      timeoutMs: input.timeoutMs,
      osUser: input.osUser,
      sendPassword: passwordPolicy(input.authProbe, mode, input.configuredMode),
      collectSession: mode === input.configuredMode || mode === "verify-full",
      tls: input.tls,
    },
    host,
    channel,
  );
}

/**
 * The CPU-heavy part of the matrix, done before the network clock starts: every client file is read and parsed
 * once (a root bundle of 10,000 certificates takes seconds), and every TLS context the attempts will use is built.
 */
export function prepareMatrix(input: MatrixInput): MatrixInput & { tls: ClientTlsCache } {
  const tls = input.tls ?? new ClientTlsCache({ values: input.values, home: input.home, major: input.major });
  const prepared = { ...input, tls };
  for (const mode of SSL_MODES) {
    for (const host of input.hosts) {
      const req = requestFor(mode, host, "ssl", prepared);
      if (typeof req === "string" || !req.tls) continue;
      secureContextFor(req.tls.material, {
        ...(req.tls.minVersion ? { minVersion: req.tls.minVersion } : {}),
        ...(req.tls.maxVersion ? { maxVersion: req.tls.maxVersion } : {}),
        ciphers: LIBPQ_CIPHERS,
      });
    }
  }
  return { ...input, tls };
}

function configFailure(channel: Channel, message: string): AttemptOutcome {
  return {
    channel,
    end: "config",
    stage: "config",
    cause: "client-config",
    message,
    credentialsSent: false,
    durationMs: 0,
  };
}

/** Runs one mode's plan over the hosts in order, as libpq does; `resolveWithheld` settles attempts whose password was held back. */
/**
 * Several modes make the very same attempt (allow's first try is disable's; with a root file present, prefer's
 * first try is require's and verify-ca's). libpq would make it once per mode; the server answers it the same
 * way each time, so the matrix makes it once and shares the outcome.
 */
interface MemoEntry {
  outcome: Promise<AttemptOutcome>;
  progress?: ConnectProgress;
}
type AttemptMemo = Map<string, MemoEntry>;

const materialIds = new WeakMap<ClientTlsMaterial, number>();
let nextMaterialId = 1;

/** The request without the password, and its TLS material by identity (it may hold megabytes of PEM). */
function attemptKey(req: AttemptRequest): string {
  const { password: _secret, tls, ...rest } = req;
  let tlsKey: unknown = null;
  if (tls) {
    let id = materialIds.get(tls.material);
    if (id === undefined) {
      id = nextMaterialId++;
      materialIds.set(tls.material, id);
    }
    tlsKey = { ...tls, material: id };
  }
  return JSON.stringify([rest, tlsKey]);
}

/** What a mode has done so far: read by the deadline's cut while an attempt is still in flight. */
interface ModeProgress {
  attempts: AttemptOutcome[];
  /** Where each attempt went (host:port), for the mode's attempt list. */
  targets: { host: string; port: number }[];
  /** The attempt being awaited (shared attempts included), to know whether it already sent the password. */
  inflight?: ConnectProgress;
}

/** One CertificateRequest look per server for the whole matrix (sslcertmode=require only). */
type CertRequestMemo = Map<string, Promise<boolean | undefined>>;

function certificateRequested(
  req: AttemptRequest,
  input: PreparedInput,
  memo: CertRequestMemo,
): Promise<boolean | undefined> {
  const key = `${req.connectHost}|${req.port}`;
  let p = memo.get(key);
  if (!p) {
    const isIp = isIP(req.verifyHost) !== 0;
    p = serverRequestsCertificate({
      host: req.connectHost,
      port: req.port,
      ...(isIp ? {} : { servername: req.verifyHost }),
      timeoutMs: req.timeoutMs,
      adopt: (s) => input.scope.adopt(s),
    });
    memo.set(key, p);
  }
  return p;
}

async function runMode(
  mode: SslMode,
  input: PreparedInput,
  resolveWithheld: (o: AttemptOutcome) => Promise<AttemptOutcome>,
  memo: AttemptMemo,
  state: ModeProgress,
): Promise<ModeRun> {
  const attempts = state.attempts;
  const optionError = input.optionErrorFor(mode);
  let cut = false;
  if (optionError) {
    attempts.push(configFailure("plain", optionError));
  } else {
    hosts: for (const host of input.hosts) {
      // sslmode is ignored for Unix-domain sockets: libpq only ever tries plaintext there.
      const plan: Channel[] = host.kind === "unix-socket" ? ["plain"] : attemptOrder(mode);
      for (const channel of plan) {
        // The run's deadline has passed: what libpq would try next could not run, so the mode is not decided.
        if (input.scope.expired) {
          cut = true;
          break hosts;
        }
        const req = requestFor(mode, host, channel, input);
        let outcome: AttemptOutcome;
        if (typeof req === "string") outcome = configFailure(channel, req);
        else {
          if (req.tls && req.auth?.sslcertmode === "require")
            req.certificateRequested = await certificateRequested(req, input, input.certRequests);
          const key = attemptKey(req);
          let shared = memo.get(key);
          if (!shared) {
            const entry: MemoEntry = { outcome: Promise.resolve(undefined as unknown as AttemptOutcome) };
            entry.outcome = attempt(req, input.scope, (p) => {
              entry.progress = p;
            });
            shared = entry;
            memo.set(key, shared);
          }
          state.inflight = shared.progress;
          outcome = await shared.outcome;
          state.inflight = undefined;
        }
        if (outcome.end === "withheld") outcome = await resolveWithheld(outcome);
        if (outcome.message && input.client)
          outcome = { ...outcome, message: wordAlerts(outcome.message, input.client.alertWording) };
        attempts.push(outcome);
        state.targets.push({ host: host.host, port: Number(host.port || 5432) });
        if (outcome.end === "ok") break hosts;
        if (outcome.end === "withheld") break hosts; // undecided: the password was not sent and nothing proves it
        if (outcome.end === "deadline") break hosts;
        if (!fallsBack(mode, channel, outcome.end)) {
          if (!triesNextHost(input.client, outcome.end)) break hosts;
          break;
        }
      }
    }
  }
  return modeRun(mode, state, input.scope, cut);
}

/** The mode's result from its attempts; an attempt list the deadline cut short decides nothing. */
function modeRun(mode: SslMode, state: ModeProgress, scope: RunScope, cut: boolean): ModeRun {
  const attempts = [...state.attempts];
  let session: SessionFacts | undefined;
  for (const a of attempts) if (a.session) session = a.session;
  const last = attempts.at(-1);
  if (cut)
    return {
      result: {
        sslmode: mode,
        ok: null,
        stage: last?.stage ?? "config",
        code: "deadline",
        message: deadlineMessage(scope, `sslmode=${mode} was decided`),
        credentialsSent: attempts.some((a) => a.credentialsSent) || state.inflight?.credentialsSent === true,
        durationMs: attempts.reduce((n, a) => n + a.durationMs, 0),
      },
      attempts,
    };
  const decided = last?.end !== "withheld" && last?.end !== "deadline";
  const ok = last?.end === "ok";
  // A failed mode is explained by the attempt that decides it (prefer: the SSL failure, not the fallback's pg_hba
  // refusal), and every attempt keeps its own error.
  const decidedBy = decidingAttempt(mode, attempts);
  const decider = attempts[decidedBy] ?? last;
  const result: ModeResult = {
    sslmode: mode,
    ok: decided ? ok : null,
    stage: decider?.stage ?? "config",
    credentialsSent: attempts.some((a) => a.credentialsSent),
    durationMs: attempts.reduce((n, a) => n + a.durationMs, 0),
  };
  if (decider?.cause) result.code = decider.cause;
  if (decider?.message) result.message = decider.message;
  if (attempts.length > 1) {
    result.attempts = attempts.map((a, i) => ({
      host: state.targets[i]?.host ?? "",
      port: state.targets[i]?.port ?? 0,
      channel: a.channel,
      ok: a.end === "ok" ? true : a.end === "withheld" || a.end === "deadline" ? null : false,
      stage: a.stage,
      ...(a.cause ? { code: a.cause } : {}),
      ...(a.message ? { message: a.message } : {}),
    }));
    result.decidedBy = decidedBy;
  }
  if (ok) result.encrypted = last?.channel === "ssl";
  if (ok && last?.tls) result.tls = last.tls;
  return { result, attempts, ...(session ? { session } : {}) };
}

export async function runMatrix(raw: MatrixInput): Promise<MatrixResult> {
  const own = raw.scope ? null : new RunScope(3 * raw.timeoutMs);
  const scope = raw.scope ?? (own as RunScope);
  const input: PreparedInput = { ...prepareMatrix(raw), scope, certRequests: new Map() };
  try {
    return await matrixRuns(input);
  } finally {
    if (own) {
      await own.drain();
      own.close();
    }
  }
}

async function matrixRuns(input: PreparedInput): Promise<MatrixResult> {
  const scope = input.scope;
  const gss = input.values.gssencmode;
  let settle: (k: PasswordKnowledge) => void = () => undefined;
  const knowledge = new Promise<PasswordKnowledge>((resolve) => {
    settle = resolve;
  });
  // Only the configured mode sends the password unconditionally (under --auth-probe safe); what it learns
  // settles the attempts of other modes that stopped at the server's password request.
  const sender = input.authProbe === "safe" ? input.configuredMode : null;
  if (sender === null) settle("unknown");

  const resolveWithheld = async (o: AttemptOutcome): Promise<AttemptOutcome> => {
    const k = await knowledge;
    const asked = o.authRequested ? ` (${o.authRequested})` : "";
    if (k === "accepted") {
      return {
        ...o,
        end: "ok",
        stage: "auth",
        message: `the server asked for the password${asked}; not sent under --auth-probe ${input.authProbe}, but the same password was accepted under sslmode=${sender}`,
      };
    }
    if (k === "rejected") {
      return {
        ...o,
        end: "server-error",
        stage: "auth",
        cause: "wrong-password",
        message: `the server asked for the password${asked}; the same password was rejected under sslmode=${sender}`,
      };
    }
    return {
      ...o,
      message: `the server asked for the password${asked}; not sent under --auth-probe ${input.authProbe}, so whether it would be accepted is not known`,
    };
  };

  const memo: AttemptMemo = new Map();
  const runs = SSL_MODES.map(async (mode): Promise<ModeRun> => {
    if (gss === "require") {
      return {
        result: {
          sslmode: mode,
          ok: null,
          stage: "config",
          code: "gss-out-of-scope",
          message: "gssencmode=require asks for GSSAPI encryption, which dbdoctor does not model",
          credentialsSent: false,
        },
        attempts: [],
      };
    }
    const state: ModeProgress = { attempts: [], targets: [] };
    // The deadline may cut the mode while an attempt is in flight: it then reports what its attempts got to.
    const run = await scope.race(runMode(mode, input, resolveWithheld, memo, state), () => {
      if (mode === sender) settle("unknown");
      return modeRun(mode, state, scope, true);
    });
    if (mode === sender) {
      const sent = run.attempts.filter((a) => a.credentialsSent);
      settle(
        sent.some((a) => a.end === "ok")
          ? "accepted"
          : sent.some((a) => a.cause === "wrong-password")
            ? "rejected"
            : "unknown",
      );
    }
    return run;
  });
  const done = await Promise.all(runs);
  const order: SslMode[] = [
    ...(input.configuredMode ? [input.configuredMode] : []),
    "verify-full",
    "verify-ca",
    "require",
  ];
  const withSession = order.map((m) => done.find((r) => r.result.sslmode === m)).find((r) => r?.session !== undefined);
  const session = withSession?.session ? { ...withSession.session, sslmode: withSession.result.sslmode } : undefined;
  return { runs: done, passwordKnowledge: await knowledge, ...(session ? { session } : {}) };
}
