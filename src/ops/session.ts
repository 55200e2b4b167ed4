// ONE session opened exactly as libpq would under the configured sslmode: the hosts in order, libpq's channel plan
// and fallback for the mode (modes/plan.ts), the client TLS files as initialize_SSL reads them (modes/client-tls.ts)
// and libpq's TLS semantics, through the same door as every other connection (modes/connect.ts): the credential
// policy of --auth-probe, the run's deadline, capped reads and a polite goodbye.
import type { HostEntry } from "../conninfo/types.js";
import type { AuthProbe, LibpqMajor } from "../model/options.js";
import type { SslMode } from "../model/sslmode.js";
import type { AttemptRequest } from "../modes/attempt.js";
import type { ClientTlsCache } from "../modes/client-tls.js";
import { classifyFailure, connectPg } from "../modes/connect.js";
import { passwordPolicy } from "../modes/credentials.js";
import { attemptOrder, type Channel, fallsBack } from "../modes/plan.js";
import { sessionQuery } from "../modes/query.js";
import { attemptRequest, currentOsUser } from "../modes/request.js";
import type { RunScope } from "../run/scope.js";
import type { Queryable } from "./queries.js";

export interface SessionInput {
  values: Record<string, string | undefined>;
  hosts: HostEntry[];
  mode: SslMode;
  home: string | null;
  major: LibpqMajor;
  timeoutMs: number;
  /** --auth-probe: `none` keeps the password back here too (the session then opens only without one). */
  authProbe: AuthProbe;
  scope: RunScope;
  tls: ClientTlsCache;
}

export interface OpenSession {
  /** Queries of this session, each under its timeout and the run's deadline. */
  client: Queryable;
  /** The pg client underneath, read only for wire facts (its BackendKeyData pid, its TLS socket): ops/pooler-signs.ts. */
  connection: unknown;
  host: HostEntry;
  user: string;
  database: string;
  channel: Channel;
  close(): Promise<void>;
}

export type SessionOutcome = { ok: true; session: OpenSession } | { ok: false; reason: string };

function request(input: SessionInput, host: HostEntry, channel: Channel): AttemptRequest | string {
  return attemptRequest(
    {
      values: input.values,
      mode: input.mode,
      home: input.home,
      major: input.major,
      timeoutMs: input.timeoutMs,
      osUser: currentOsUser() || "postgres",
      // This session is the application's own, made for its configured sslmode: the policy says where the
      // password may go (everywhere but under --auth-probe none).
      sendPassword: passwordPolicy(input.authProbe, input.mode, input.mode),
      tls: input.tls,
    },
    host,
    channel,
  );
}

/** Opens the session libpq would open, or says why libpq would fail (its last error, as libpq reports it). */
export async function openSession(input: SessionInput): Promise<SessionOutcome> {
  let last = "no host to connect to";
  for (const host of input.hosts) {
    const plan: Channel[] = host.kind === "unix-socket" ? ["plain"] : attemptOrder(input.mode);
    for (const channel of plan) {
      if (input.scope.expired) return { ok: false, reason: "the overall deadline (--deadline) ran out" };
      const req = request(input, host, channel);
      if (typeof req === "string") {
        last = req;
        if (!fallsBack(input.mode, channel, "config")) break;
        continue;
      }
      const r = await connectPg(req, input.scope);
      if (r.ok) {
        const client = r.client;
        const queries: Queryable = {
          query: (text, values) => sessionQuery(client, input.scope, input.timeoutMs, text, values),
        };
        return {
          ok: true,
          session: {
            client: queries,
            connection: client,
            host,
            user: req.user,
            database: req.database,
            channel,
            close: r.close,
          },
        };
      }
      const c = classifyFailure(r, req, input.scope);
      if (c.end === "withheld") {
        last = "the server asked for the password, which --auth-probe none keeps back";
        break;
      }
      last = c.message;
      if (!fallsBack(input.mode, channel, c.end)) break;
    }
  }
  return { ok: false, reason: last };
}
