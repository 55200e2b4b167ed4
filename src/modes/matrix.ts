// The sslmode matrix: for each of libpq's six modes, would libpq establish a session with these settings?
// Each mode runs libpq's plan (plan.ts) against the real server, all modes concurrently; the credential
// policy (DESIGN.md "Credentials on the wire") decides where the password may travel.
import type { HostEntry } from "../conninfo/types.js";
import type { ModeResult } from "../model/mode.js";
import type { AuthProbe, LibpqMajor } from "../model/options.js";
import { SSL_MODES, type SslMode } from "../model/sslmode.js";
import { type AttemptOutcome, type AttemptRequest, attempt, type SessionFacts } from "./attempt.js";
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

function sendPolicy(mode: SslMode, input: MatrixInput): AttemptRequest["sendPassword"] {
  if (input.authProbe === "all") return "always";
  if (input.authProbe === "none") return "never";
  return mode === input.configuredMode ? "always" : "if-verified";
}

function requestFor(mode: SslMode, host: HostEntry, channel: Channel, input: MatrixInput): AttemptRequest | string {
  return attemptRequest(
    {
      values: input.values,
      mode,
      home: input.home,
      major: input.major,
      timeoutMs: input.timeoutMs,
      osUser: input.osUser,
      sendPassword: sendPolicy(mode, input),
      collectSession: mode === input.configuredMode || mode === "verify-full",
    },
    host,
    channel,
  );
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
type AttemptMemo = Map<string, Promise<AttemptOutcome>>;

function attemptKey(req: AttemptRequest): string {
  const { password: _secret, ...rest } = req;
  return JSON.stringify(rest);
}

async function runMode(
  mode: SslMode,
  input: MatrixInput,
  resolveWithheld: (o: AttemptOutcome) => Promise<AttemptOutcome>,
  memo: AttemptMemo,
): Promise<ModeRun> {
  const attempts: AttemptOutcome[] = [];
  let session: SessionFacts | undefined;
  const optionError = input.optionErrorFor(mode);
  if (optionError) {
    attempts.push(configFailure("plain", optionError));
  } else {
    hosts: for (const host of input.hosts) {
      // sslmode is ignored for Unix-domain sockets: libpq only ever tries plaintext there.
      const plan: Channel[] = host.kind === "unix-socket" ? ["plain"] : attemptOrder(mode);
      for (const channel of plan) {
        const req = requestFor(mode, host, channel, input);
        let outcome: AttemptOutcome;
        if (typeof req === "string") outcome = configFailure(channel, req);
        else {
          const key = attemptKey(req);
          const shared = memo.get(key) ?? attempt(req);
          memo.set(key, shared);
          outcome = await shared;
        }
        if (outcome.end === "withheld") outcome = await resolveWithheld(outcome);
        attempts.push(outcome);
        if (outcome.session) session = outcome.session;
        if (outcome.end === "ok") break hosts;
        if (outcome.end === "withheld") break hosts; // undecided: the password was not sent and nothing proves it
        if (!fallsBack(mode, channel, outcome.end)) break;
      }
    }
  }
  const last = attempts.at(-1);
  const decided = last?.end !== "withheld";
  const ok = last?.end === "ok";
  const result: ModeResult = {
    sslmode: mode,
    ok: decided ? ok : null,
    stage: last?.stage ?? "config",
    credentialsSent: attempts.some((a) => a.credentialsSent),
    durationMs: attempts.reduce((n, a) => n + a.durationMs, 0),
  };
  if (last?.cause) result.code = last.cause;
  if (last?.message) result.message = last.message;
  if (ok) result.encrypted = last?.channel === "ssl";
  if (ok && last?.tls) result.tls = last.tls;
  return { result, attempts, ...(session ? { session } : {}) };
}

export async function runMatrix(input: MatrixInput): Promise<MatrixResult> {
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
    const run = await runMode(mode, input, resolveWithheld, memo);
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
