// One real session attempt on one channel, through pg (node-postgres), with TLS options built from libpq's
// semantics rather than pg-connection-string's (whose `require` acts as verify-full). Nothing here decides a
// verdict: it reports how the attempt ended, in the terms of plan.ts and classify.ts.
import type { PeerCertificate, TLSSocket } from "node:tls";
import type { Client, ClientConfig } from "pg";
import type { Cause } from "../model/mode.js";
import type { LibpqMajor } from "../model/options.js";
import { matchHostname } from "../pki/hostname.js";
import type { SessionFacts as ProbeSessionFacts } from "../probe/types.js";
import { classifyNetworkOrTls, classifyServerError, errorShape, HOSTNAME_ERROR } from "./classify.js";
import type { ClientTlsMaterial } from "./client-tls.js";
import type { AttemptEnd, Channel } from "./plan.js";

export type AuthKind = "password" | "md5" | "scram-sha-256" | "scram-sha-256-plus";

/** What the server says about the session, before the matrix knows which sslmode it belongs to. */
export type SessionFacts = Omit<ProbeSessionFacts, "sslmode">;

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
  /** "always": send when asked; "if-verified": only over a channel whose chain and host name check out; "never". */
  sendPassword: "always" | "if-verified" | "never";
  timeoutMs: number;
  major: LibpqMajor;
  /** Read the server's own view of the session once connected (read-only queries). */
  collectSession?: boolean;
}

export interface AttemptOutcome {
  channel: Channel;
  end: AttemptEnd | "withheld";
  stage: string;
  cause?: Cause;
  message?: string;
  credentialsSent: boolean;
  /** The server asked for this kind of password authentication. */
  authRequested?: AuthKind;
  /** The password was held back by --auth-probe (the outcome may since have been settled from another mode). */
  withheld?: boolean;
  tls?: { protocol: string; cipher: string };
  /** Chain verified against the root file and host name matched (libpq's rule), whatever the sslmode asked. */
  channelVerified?: boolean;
  session?: SessionFacts;
  durationMs: number;
}

class WithheldError extends Error {
  constructor() {
    super("password withheld by --auth-probe");
  }
}

class NoPasswordError extends Error {
  constructor() {
    super("fe_sendauth: no password supplied");
  }
}

function hostnameCheck(verifyHost: string, major: LibpqMajor) {
  return (_servername: string, cert: PeerCertificate): Error | undefined => {
    const result = matchHostname(cert.raw, verifyHost, major);
    if (result.ok) return undefined;
    return Object.assign(new Error(result.message), { code: HOSTNAME_ERROR });
  };
}

// SNI is left to pg (host name unless an IP literal); libpq's rule differs only for odd hosts like "127.1"
// and for sslsni=0, and a PostgreSQL server's answer does not depend on SNI, so the verdict does not either.

// libpq runs with the system OpenSSL configuration; Debian and most distributions set security level 2, which
// refuses RSA keys under 2048 bits and SHA-1 signatures. Node defaults to level 1, so say it explicitly.
const LIBPQ_CIPHERS = "DEFAULT:@SECLEVEL=2";

export function tlsOptions(req: AttemptRequest): ClientConfig["ssl"] {
  const t = req.tls;
  if (!t) return false;
  const m = t.material;
  return {
    rejectUnauthorized: t.verifyChain,
    ...(m.ca !== undefined ? { ca: m.ca } : {}),
    ...(m.crl !== undefined ? { crl: m.crl } : {}),
    ...(m.cert !== undefined ? { cert: m.cert } : {}),
    ...(m.key !== undefined ? { key: m.key } : {}),
    checkServerIdentity: t.verifyHostname ? hostnameCheck(req.verifyHost, req.major) : () => undefined,
    minVersion: t.minVersion ?? "TLSv1.2",
    ...(t.maxVersion ? { maxVersion: t.maxVersion } : {}),
    ciphers: LIBPQ_CIPHERS,
    ...(t.alpn ? { ALPNProtocols: ["postgresql"] } : {}),
  };
}

/**
 * pg's configuration for the request: TLS from libpq's semantics (tlsOptions), one deadline for the connection,
 * and the password only through `password`, which pg calls when (and only when) the server asks for it.
 */
export function pgClientConfig(req: AttemptRequest, password: () => Promise<string>): ClientConfig {
  return {
    host: req.connectHost,
    port: req.port,
    user: req.user,
    database: req.database,
    ssl: tlsOptions(req),
    connectionTimeoutMillis: req.timeoutMs,
    ...(req.options ? { options: req.options } : {}),
    application_name: req.applicationName ?? "dbdoctor",
    password,
  };
}

function authKindOf(mechanisms: readonly string[]): AuthKind {
  return mechanisms.includes("SCRAM-SHA-256-PLUS") ? "scram-sha-256-plus" : "scram-sha-256";
}

export async function attempt(req: AttemptRequest): Promise<AttemptOutcome> {
  const { Client: PgClient } = (await import("pg")).default;
  const started = performance.now();
  let authRequested: AuthKind | undefined;
  let credentialsSent = false;
  let tls: AttemptOutcome["tls"];
  let channelVerified: boolean | undefined;
  let tlsSocket: TLSSocket | undefined;

  const client: Client = new PgClient(
    pgClientConfig(req, async () => {
      const verified = channelVerified === true;
      const allowed = req.sendPassword === "always" || (req.sendPassword === "if-verified" && verified);
      // With no password configured there is nothing to hold back: libpq fails right here.
      if (req.password === undefined) throw new NoPasswordError();
      if (!allowed) throw new WithheldError();
      credentialsSent = true;
      return req.password;
    }),
  );
  // pg exposes its protocol Connection; it emits these before it asks for the password.
  const connection = (client as unknown as { connection: NodeJS.EventEmitter & { stream: unknown } }).connection;
  connection.on("authenticationCleartextPassword", () => {
    authRequested = "password";
  });
  connection.on("authenticationMD5Password", () => {
    authRequested = "md5";
  });
  connection.on("authenticationSASL", (msg: { mechanisms: string[] }) => {
    authRequested = authKindOf(msg.mechanisms);
  });
  connection.on("sslconnect", () => {
    tlsSocket = connection.stream as TLSSocket;
    tlsSocket.once("secureConnect", () => {
      const cipher = tlsSocket?.getCipher();
      tls = {
        protocol: tlsSocket?.getProtocol() ?? "unknown",
        cipher: cipher?.standardName ?? cipher?.name ?? "unknown",
      };
      const peer = tlsSocket?.getPeerX509Certificate();
      const chainOk = req.tls?.verifyChain === true && tlsSocket?.authorized === true;
      channelVerified = chainOk && peer !== undefined && matchHostname(peer.raw, req.verifyHost, req.major).ok;
    });
  });
  client.on("error", () => {
    // errors after connect are reported through connect()'s rejection or ignored once we end the client
  });

  const base = () => ({
    channel: req.channel,
    credentialsSent,
    ...(authRequested ? { authRequested } : {}),
    ...(tls ? { tls } : {}),
    ...(channelVerified !== undefined ? { channelVerified } : {}),
    durationMs: Math.round(performance.now() - started),
  });

  try {
    await client.connect();
  } catch (err) {
    void client.end().catch(() => undefined);
    if (err instanceof WithheldError) {
      return {
        ...base(),
        end: "withheld",
        withheld: true,
        stage: "auth",
        message: "the server asked for a password; not sent",
      };
    }
    if (err instanceof NoPasswordError) {
      return { ...base(), end: "client-auth", stage: "auth", cause: "no-password", message: err.message };
    }
    const shape = errorShape(err);
    const c = shape.sqlstate ? classifyServerError(shape) : classifyNetworkOrTls(shape, req.verifyHost, req.port);
    return { ...base(), end: c.end, stage: c.stage, cause: c.cause, message: c.message };
  }

  let session: SessionFacts | undefined;
  if (req.collectSession) session = await readSession(client).catch(() => undefined);
  await client.end().catch(() => undefined);
  return { ...base(), end: "ok", stage: "session", ...(session ? { session } : {}) };
}

async function readSession(client: Client): Promise<SessionFacts> {
  const r = await client.query<{
    server_version: string;
    ssl_setting: string;
    ssl: boolean | null;
    version: string | null;
    cipher: string | null;
    client_dn: string | null;
  }>(
    `select current_setting('server_version') as server_version, current_setting('ssl') as ssl_setting,
            s.ssl, s.version, s.cipher, s.client_dn
       from pg_stat_ssl s where s.pid = pg_backend_pid()`,
  );
  const row = r.rows[0];
  return {
    serverVersion: row?.server_version ?? "unknown",
    sslSetting: row?.ssl_setting ?? "unknown",
    ssl: row?.ssl === true,
    sslVersion: row?.version ?? null,
    sslCipher: row?.cipher ?? null,
    clientDn: row?.client_dn ?? null,
  };
}
