// The one door every pg (node-postgres) connection of dbdoctor goes through, the sslmode matrix's attempts and
// the operations stage's session alike:
// - the credential policy (credentials.ts) is applied in the password callback, which pg calls only when the
//   server asks for a password;
// - the socket and the TLS session belong to the run's scope (destroyed at the deadline, at the latest when the
//   run ends), and the connection's time budget is its own timeout cut to what is left of the run's deadline;
// - what the server sends is counted and capped: a 10 MB "error" or an endless stream ends the attempt;
// - how far the connection got (TCP, the SSL answer, TLS, the password request) is recorded, so that a timeout can
//   say what it means: nothing answered the SYN (a firewall, a wrong address), or a server accepted and went silent;
// - it is closed politely: Terminate, close_notify and FIN after a session, close_notify and FIN (no Terminate,
//   which a server in the middle of authentication logs as FATAL) when the start-up stopped, and destroyed after a
//   short grace if the server never closes its side.
import { Socket } from "node:net";
import type { PeerCertificate, TLSSocket } from "node:tls";
import type { Client, ClientConfig } from "pg";
import type { LibpqMajor } from "../model/options.js";
import { parseCertificateDer } from "../pki/der.js";
import { matchHostname } from "../pki/hostname.js";
import { closeGracefully } from "../run/close.js";
import { type Budget, CLOSE_GRACE_MS, deadlineMessage, type RunScope } from "../run/scope.js";
import {
  type Cause,
  type Classified,
  classifyNetworkOrTls,
  classifyServerError,
  errorShape,
  HOSTNAME_ERROR,
} from "./classify.js";
import { type ClientTlsMaterial, secureContextFor } from "./client-tls.js";
import { maySendPassword, type SendPassword } from "./credentials.js";
import { type AuthRequestKind, type AuthSettings, chooseSasl, libpqAnswers, signatureHasDigest } from "./libpq-auth.js";
import type { Channel } from "./plan.js";

export type AuthKind = "password" | "md5" | "scram-sha-256" | "scram-sha-256-plus";

/** One connection as libpq would make it: where, as whom, over which channel, with which TLS checks and policy. */
export interface AttemptRequest {
  /** Where to connect (host name or address) and the libpq `host` used for the host-name rule and SNI. */
  connectHost: string;
  verifyHost: string;
  port: number;
  user: string;
  database: string;
  options?: string;
  applicationName?: string;
  channel: Channel;
  tls?: {
    material: ClientTlsMaterial;
    verifyChain: boolean;
    verifyHostname: boolean;
    minVersion?: "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
    maxVersion?: "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
    /** libpq >= 17 always offers ALPN "postgresql". */
    alpn: boolean;
  };
  password: string | undefined;
  /** The credential policy for this connection (credentials.ts passwordPolicy), applied by connectPg. */
  sendPassword: SendPassword;
  timeoutMs: number;
  major: LibpqMajor;
  /** Read the server's own view of the session once connected (read-only queries). */
  collectSession?: boolean;
  /** channel_binding, require_auth and sslcertmode as libpq applies them to the server's requests (libpq-auth.ts). */
  auth?: AuthSettings;
  /** Whether the server sends a CertificateRequest (cert-request.ts), measured when sslcertmode=require asks. */
  certificateRequested?: boolean;
}

/** What the server may send before the session is established (a real start-up is a few hundred bytes). */
export const STARTUP_BYTES_CAP = 1024 * 1024;
/** What it may send over a whole session (the operations stage reads pg_stat_activity of a busy server). */
export const SESSION_BYTES_CAP = 32 * 1024 * 1024;

const OVERSIZE = "DBDOCTOR_SERVER_SENT_TOO_MUCH";

/** How far a connection got, updated as it goes (a deadline cut reads it, too). */
export interface ConnectProgress {
  tcpConnected: boolean;
  bytesIn: number;
  /** The server answered the SSLRequest with 'S' (pg's "sslconnect"). */
  sslAccepted: boolean;
  tls?: { protocol: string; cipher: string };
  /** Chain verified against the root file and host name matched (libpq's rule), whatever the sslmode asked. */
  channelVerified?: boolean;
  authRequested?: AuthKind;
  credentialsSent: boolean;
  /** The password was held back by the credential policy. */
  withheld: boolean;
  /** No password was configured when the server asked for one (libpq: "fe_sendauth: no password supplied"). */
  noPassword: boolean;
  overflow: boolean;
  /** ReadyForQuery: a session. */
  ready: boolean;
  /** The SASL mechanisms the server offered. */
  mechanisms?: string[];
  /** The server certificate's signature has a digest for tls-server-end-point (false: Ed25519/Ed448). */
  certSignatureHasDigest?: boolean;
  /** libpq would have stopped here, with this error, without answering the server (libpq-auth.ts). */
  libpqRefused?: string;
}

export type ConnectResult =
  | { ok: true; client: Client; progress: ConnectProgress; close(): Promise<void> }
  | { ok: false; error: unknown; progress: ConnectProgress; budget: Budget };

// libpq runs with the system OpenSSL configuration; Debian and most distributions set security level 2, which
// refuses RSA keys under 2048 bits and SHA-1 signatures. Node defaults to level 1, so say it explicitly.
export const LIBPQ_CIPHERS = "DEFAULT:@SECLEVEL=2";

function hostnameCheck(verifyHost: string, major: LibpqMajor) {
  return (_servername: string, cert: PeerCertificate): Error | undefined => {
    const result = matchHostname(cert.raw, verifyHost, major);
    if (result.ok) return undefined;
    return Object.assign(new Error(result.message), { code: HOSTNAME_ERROR });
  };
}

// SNI is left to pg (host name unless an IP literal); libpq's rule differs only for odd hosts like "127.1"
// and for sslsni=0, and a PostgreSQL server's answer does not depend on SNI, so the verdict does not either.

/** TLS options from libpq's semantics (not pg-connection-string's, whose `require` acts as verify-full). */
export function tlsOptions(req: AttemptRequest): ClientConfig["ssl"] {
  const t = req.tls;
  if (!t) return false;
  return {
    // Built once per material and range, before the network clock starts (client-tls.ts secureContextFor).
    secureContext: secureContextFor(t.material, {
      ...(t.minVersion ? { minVersion: t.minVersion } : {}),
      ...(t.maxVersion ? { maxVersion: t.maxVersion } : {}),
      ciphers: LIBPQ_CIPHERS,
    }),
    rejectUnauthorized: t.verifyChain,
    checkServerIdentity: t.verifyHostname ? hostnameCheck(req.verifyHost, req.major) : () => undefined,
    ...(t.alpn ? { ALPNProtocols: ["postgresql"] } : {}),
  };
}

function authKindOf(mechanisms: readonly string[]): AuthKind {
  return mechanisms.includes("SCRAM-SHA-256-PLUS") ? "scram-sha-256-plus" : "scram-sha-256";
}

class WithheldError extends Error {
  constructor() {
    super("password withheld by --auth-probe");
  }
}

class LibpqRefusedError extends Error {}

/** What the authentication request is in fe-auth.c's terms. */
function requestKind(p: ConnectProgress): AuthRequestKind {
  return p.authRequested === "password" ? "password" : p.authRequested === "md5" ? "md5" : "sasl";
}

function certHasDigest(raw: Buffer): boolean | undefined {
  try {
    return signatureHasDigest(parseCertificateDer(raw).sigAlgOid);
  } catch {
    return undefined;
  }
}

/** libpq's error for this request (or AuthenticationOk), or null where libpq answers it. */
function refusal(req: AttemptRequest, p: ConnectProgress, kind: AuthRequestKind): string | null {
  if (!req.auth) return null;
  const ssl = req.channel === "ssl";
  const sasl = p.mechanisms ? chooseSasl(req.auth, { ssl, mechanisms: p.mechanisms }) : undefined;
  return libpqAnswers(kind, req.auth, {
    ssl,
    ...(p.mechanisms ? { mechanisms: p.mechanisms } : {}),
    ...(p.certSignatureHasDigest !== undefined ? { certSignatureHasDigest: p.certSignatureHasDigest } : {}),
    ...(req.certificateRequested !== undefined ? { certificateRequested: req.certificateRequested } : {}),
    certificateSent: req.certificateRequested === true && req.tls?.material.cert !== undefined,
    ...(sasl && "mechanism" in sasl ? { scramMechanism: sasl.mechanism } : {}),
    clientFinishedAuth: p.credentialsSent,
  });
}

class NoPasswordError extends Error {
  constructor() {
    super("fe_sendauth: no password supplied");
  }
}

type PgConnection = NodeJS.EventEmitter & { stream: Socket; _ending?: boolean };

function connectionOf(client: Client): PgConnection {
  return (client as unknown as { connection: PgConnection }).connection;
}

/** Counts what arrives on `stream`; past `cap` the connection is cut (the server is not speaking PostgreSQL). */
function meter(stream: Socket, progress: ConnectProgress): () => void {
  const onData = (chunk: Buffer) => {
    progress.bytesIn += chunk.length;
    const cap = progress.ready ? SESSION_BYTES_CAP : STARTUP_BYTES_CAP;
    if (progress.bytesIn > cap && !progress.overflow) {
      progress.overflow = true;
      stream.destroy(
        Object.assign(new Error(`the server sent more than ${cap / (1024 * 1024)} MiB`), { code: OVERSIZE }),
      );
    }
  };
  stream.on("data", onData);
  return () => stream.off("data", onData);
}

/**
 * Opens a pg client for `req`. On failure the connection is already being closed (no Terminate, see above); on
 * success the caller ends the session with `close()`.
 */
export async function connectPg(
  req: AttemptRequest,
  scope: RunScope,
  watch?: (progress: ConnectProgress) => void,
): Promise<ConnectResult> {
  const { Client: PgClient } = (await import("pg")).default;
  const progress: ConnectProgress = {
    tcpConnected: false,
    bytesIn: 0,
    sslAccepted: false,
    credentialsSent: false,
    withheld: false,
    noPassword: false,
    overflow: false,
    ready: false,
  };
  watch?.(progress);
  const budget = scope.budget(req.timeoutMs);
  let raw: Socket | undefined;
  const config: ClientConfig = {
    host: req.connectHost,
    port: req.port,
    user: req.user,
    database: req.database,
    ssl: tlsOptions(req),
    // pg destroys the stream when this fires ("timeout expired"); 0 would mean no timeout at all.
    connectionTimeoutMillis: Math.max(1, budget.ms),
    ...(req.options ? { options: req.options } : {}),
    application_name: req.applicationName ?? "dbdoctor",
    stream: () => {
      raw = scope.adopt(new Socket());
      raw.once("connect", () => {
        progress.tcpConnected = true;
      });
      return raw;
    },
    // The credential policy, at the one moment it matters: the server has asked for the password.
    password: async () => {
      // libpq checks the request against channel_binding and require_auth before it looks for a password.
      const refused = refusal(req, progress, requestKind(progress));
      if (refused) {
        progress.libpqRefused = refused;
        throw new LibpqRefusedError(refused);
      }
      if (req.password === undefined) {
        progress.noPassword = true;
        throw new NoPasswordError();
      }
      if (!maySendPassword(req.sendPassword, progress.channelVerified === true)) {
        progress.withheld = true;
        throw new WithheldError();
      }
      progress.credentialsSent = true;
      return req.password;
    },
  };
  const client: Client = new PgClient(config);
  const connection = connectionOf(client);
  let unmeter = raw ? meter(raw, progress) : () => undefined;
  connection.on("authenticationCleartextPassword", () => {
    progress.authRequested = "password";
  });
  connection.on("authenticationMD5Password", () => {
    progress.authRequested = "md5";
  });
  connection.on("authenticationSASL", (msg: { mechanisms: string[] }) => {
    progress.authRequested = authKindOf(msg.mechanisms);
    progress.mechanisms = [...msg.mechanisms];
  });
  // AuthenticationOk: libpq's last checks (sslcertmode, require_auth's "none", channel binding done). A failure
  // there ends the connection before the session starts, as libpq does.
  connection.on("authenticationOk", () => {
    const refused = refusal(req, progress, "ok");
    if (refused) progress.libpqRefused = refused;
  });
  connection.on("readyForQuery", () => {
    progress.ready = true;
  });
  connection.on("sslconnect", () => {
    progress.sslAccepted = true;
    unmeter();
    const tls = scope.adopt(connection.stream as TLSSocket);
    unmeter = meter(tls, progress);
    tls.once("secureConnect", () => {
      const cipher = tls.getCipher();
      progress.tls = {
        protocol: tls.getProtocol() ?? "unknown",
        cipher: cipher?.standardName ?? cipher?.name ?? "unknown",
      };
      const peer = tls.getPeerX509Certificate();
      if (peer) progress.certSignatureHasDigest = certHasDigest(peer.raw);
      const chainOk = req.tls?.verifyChain === true && tls.authorized === true;
      progress.channelVerified = chainOk && peer !== undefined && matchHostname(peer.raw, req.verifyHost, req.major).ok;
    });
  });
  client.on("error", () => {
    // errors after connect surface through the next query's rejection; before, through connect()'s
  });

  try {
    await client.connect();
  } catch (error) {
    void endWithoutTerminate(connection, scope);
    return { ok: false, error, progress, budget };
  }
  // AuthenticationOk and ReadyForQuery usually arrive in one read: the session may be up before the check above
  // could stop it. libpq would have closed the connection at AuthenticationOk; so does this.
  if (progress.libpqRefused) {
    await endSession(client, scope);
    return { ok: false, error: new LibpqRefusedError(progress.libpqRefused), progress, budget };
  }
  return { ok: true, client, progress, close: () => endSession(client, scope) };
}

/** Start-up stopped (error, password withheld, timeout): close_notify and FIN, no Terminate. */
function endWithoutTerminate(connection: PgConnection, scope: RunScope): Promise<void> {
  // pg must not report the ECONNRESET/EPIPE of a socket it was told is ending.
  connection._ending = true;
  const stream = connection.stream;
  if (!stream || stream.destroyed) return Promise.resolve();
  return closeGracefully(stream, scope);
}

/**
 * The session is done: Terminate ('X'), then close_notify and FIN (pg's end()), and the socket destroyed if the
 * server has not closed it within the grace (a server that ignores Terminate must not keep us alive: psql exits).
 */
export function endSession(client: Client, scope: RunScope): Promise<void> {
  const stream = connectionOf(client).stream;
  if (!stream || stream.destroyed) return Promise.resolve();
  const closing = new Promise<void>((resolve) => {
    const timer = setTimeout(() => stream.destroy(), CLOSE_GRACE_MS);
    timer.unref();
    stream.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    // end() waits for the server's close forever; the timer above bounds it.
    client.end().catch(() => undefined);
  });
  scope.track(closing);
  return closing;
}

/**
 * How a failed connection ended, in libpq's terms (classify.ts), with two refinements only the progress can give:
 * a timeout after the TCP connection was accepted is a server that went silent, not a firewall; and a timeout
 * whose budget the run's deadline had cut means "could not run".
 */
export function classifyFailure(
  r: Extract<ConnectResult, { ok: false }>,
  req: AttemptRequest,
  scope: RunScope,
): Classified | { end: "withheld" } {
  const p = r.progress;
  // libpq itself stopped (channel_binding, require_auth, sslcertmode, a certificate without a digest for channel
  // binding): a client-side failure, which no sslmode falls back from (pg_fe_sendauth -> error_return).
  if (p.libpqRefused) return { end: "client-auth", stage: "auth", cause: "auth-requirement", message: p.libpqRefused };
  if (p.withheld) return { end: "withheld" };
  if (p.noPassword)
    return { end: "client-auth", stage: "auth", cause: "no-password", message: "fe_sendauth: no password supplied" };
  const shape = errorShape(r.error);
  if (p.overflow || shape.code === OVERSIZE)
    return {
      end: "server-error",
      stage: stageOf(p, req),
      cause: "server-error",
      message: `${shape.message} before the session started: that is not a PostgreSQL server's start-up`,
    };
  const timedOut = !shape.sqlstate && (/timeout/i.test(shape.message) || shape.code === "ETIMEDOUT");
  if (timedOut && (r.budget.cut || scope.expired))
    return { end: "deadline", stage: stageOf(p, req), cause: "deadline", message: deadlineMessage(scope, "it ended") };
  if (timedOut && p.tcpConnected) return silent(p, req, r.budget.ms);
  if (shape.sqlstate) return classifyServerError(shape);
  const c = classifyNetworkOrTls(shape, req.verifyHost, req.port);
  // The handshake had completed on our side (TLS 1.3: the server judges the client's certificate after the
  // client's Finished): libpq was already waiting for the authentication request and fails without fallback.
  if (c.end === "tls" && p.tls !== undefined) return { ...c, end: "tls-after-handshake" };
  return c;
}

function stageOf(p: ConnectProgress, req: AttemptRequest): string {
  if (!p.tcpConnected) return "tcp";
  if (req.tls && !p.sslAccepted) return "sslrequest";
  if (req.tls && !p.tls) return "tls";
  if (!p.authRequested) return "startup";
  return p.ready ? "session" : "auth";
}

/** A timeout after the server accepted the TCP connection: where it went silent. */
function silent(p: ConnectProgress, req: AttemptRequest, ms: number): Classified {
  const stage = stageOf(p, req);
  const at = `${req.verifyHost}:${req.port}`;
  const what: Record<string, string> = {
    sslrequest:
      p.bytesIn === 0
        ? "accepted the TCP connection but never answered the SSLRequest"
        : "answered the SSLRequest only in part",
    tls: "answered 'S' to the SSLRequest but did not complete the TLS handshake",
    startup:
      p.bytesIn === 0 ? "accepted the TCP connection but never answered the startup packet" : "stopped answering",
    auth: p.credentialsSent
      ? "did not answer the password (authentication never completed)"
      : "stopped answering during authentication",
    session: "stopped answering",
  };
  const cause: Cause = "no-reply";
  return {
    end: "network",
    stage,
    cause,
    message: `timeout expired: the server at ${at} ${what[stage] ?? "stopped answering"} within ${ms} ms`,
  };
}
