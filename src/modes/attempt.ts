// One real session attempt on one channel, through pg (node-postgres), with TLS options built from libpq's
// semantics rather than pg-connection-string's (whose `require` acts as verify-full). Nothing here decides a
// verdict: it reports how the attempt ended, in the terms of plan.ts and classify.ts.
import type { Client } from "pg";
import type { Cause } from "../model/mode.js";
import type { SessionFacts as ProbeSessionFacts } from "../probe/types.js";
import type { RunScope } from "../run/scope.js";
import { capText } from "../text/cap.js";
import { type AttemptRequest, type AuthKind, type ConnectProgress, classifyFailure, connectPg } from "./connect.js";
import type { AttemptEnd, Channel } from "./plan.js";
import { sessionQuery } from "./query.js";

export type { AttemptRequest, AuthKind } from "./connect.js";

/** What the server says about the session, before the matrix knows which sslmode it belongs to. */
export type SessionFacts = Omit<ProbeSessionFacts, "sslmode">;

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

/**
 * One attempt through connectPg (the one door: credential policy, deadlines, capped reads, polite closing), then,
 * when asked, the server's own view of the session, read under the same deadline.
 */
export async function attempt(
  req: AttemptRequest,
  scope: RunScope,
  watch?: (progress: ConnectProgress) => void,
): Promise<AttemptOutcome> {
  const started = performance.now();
  const r = await connectPg(req, scope, watch);
  const p = r.progress;
  const base = () => ({
    channel: req.channel,
    credentialsSent: p.credentialsSent,
    ...(p.authRequested ? { authRequested: p.authRequested } : {}),
    ...(p.tls ? { tls: p.tls } : {}),
    ...(p.channelVerified !== undefined ? { channelVerified: p.channelVerified } : {}),
    durationMs: Math.round(performance.now() - started),
  });
  if (!r.ok) {
    const c = classifyFailure(r, req, scope);
    if (c.end === "withheld")
      return {
        ...base(),
        end: "withheld",
        withheld: true,
        stage: "auth",
        message: "the server asked for a password; not sent",
      };
    return { ...base(), end: c.end, stage: c.stage, cause: c.cause, message: c.message };
  }
  let session: SessionFacts | undefined;
  try {
    if (req.collectSession) session = await readSession(r.client, scope, req.timeoutMs).catch(() => undefined);
  } finally {
    await r.close();
  }
  return { ...base(), end: "ok", stage: "session", ...(session ? { session } : {}) };
}

async function readSession(client: Client, scope: RunScope, timeoutMs: number): Promise<SessionFacts> {
  const r = await sessionQuery<{
    server_version: string;
    ssl_setting: string;
    ssl: boolean | null;
    version: string | null;
    cipher: string | null;
    client_dn: string | null;
  }>(
    client,
    scope,
    timeoutMs,
    `select current_setting('server_version') as server_version, current_setting('ssl') as ssl_setting,
            s.ssl, s.version, s.cipher, s.client_dn
       from pg_stat_ssl s where s.pid = pg_backend_pid()`,
  );
  const row = r.rows[0];
  const text = (v: string | null | undefined) => (v === null || v === undefined ? null : capText(v, 1024));
  return {
    serverVersion: text(row?.server_version) ?? "unknown",
    sslSetting: text(row?.ssl_setting) ?? "unknown",
    ssl: row?.ssl === true,
    sslVersion: text(row?.version),
    sslCipher: text(row?.cipher),
    clientDn: text(row?.client_dn),
  };
}
