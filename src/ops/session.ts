// ONE session opened exactly as libpq would under the configured sslmode: the hosts in order, libpq's channel plan
// and fallback for the mode (modes/plan.ts), the client TLS files as initialize_SSL reads them (modes/client-tls.ts)
// and libpq's TLS semantics (modes/attempt.ts tlsOptions). The password goes only where the application sends it.
import type { Client } from "pg";
import type { HostEntry } from "../conninfo/types.js";
import type { LibpqMajor } from "../model/options.js";
import type { SslMode } from "../model/sslmode.js";
import { type AttemptRequest, pgClientConfig } from "../modes/attempt.js";
import { classifyNetworkOrTls, classifyServerError, errorShape } from "../modes/classify.js";
import { attemptOrder, type Channel, fallsBack } from "../modes/plan.js";
import { attemptRequest, currentOsUser } from "../modes/request.js";

export interface SessionInput {
  values: Record<string, string | undefined>;
  hosts: HostEntry[];
  mode: SslMode;
  home: string | null;
  major: LibpqMajor;
  timeoutMs: number;
}

export interface OpenSession {
  client: Client;
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
      // This session is the application's own: the password goes where the application sends it.
      sendPassword: "always",
    },
    host,
    channel,
  );
}

async function connect(req: AttemptRequest): Promise<{ client: Client } | { end: string; message: string }> {
  const { Client: PgClient } = (await import("pg")).default;
  const client: Client = new PgClient({
    ...pgClientConfig(req, async () => {
      // libpq asks for the password only when the server does; a missing one is libpq's own error.
      if (req.password === undefined) throw new Error("fe_sendauth: no password supplied");
      return req.password;
    }),
    query_timeout: req.timeoutMs,
  });
  client.on("error", () => {
    // a dropped session surfaces through the next query's rejection
  });
  try {
    await client.connect();
    return { client };
  } catch (err) {
    void client.end().catch(() => undefined);
    const shape = errorShape(err);
    if (shape.message.startsWith("fe_sendauth")) return { end: "client-auth", message: shape.message };
    const c = shape.sqlstate ? classifyServerError(shape) : classifyNetworkOrTls(shape, req.verifyHost, req.port);
    return { end: c.end, message: c.message };
  }
}

/** Opens the session libpq would open, or says why libpq would fail (its last error, as libpq reports it). */
export async function openSession(input: SessionInput): Promise<SessionOutcome> {
  let last = "no host to connect to";
  for (const host of input.hosts) {
    const plan: Channel[] = host.kind === "unix-socket" ? ["plain"] : attemptOrder(input.mode);
    for (const channel of plan) {
      const req = request(input, host, channel);
      if (typeof req === "string") {
        last = req;
        if (!fallsBack(input.mode, channel, "config")) break;
        continue;
      }
      const r = await connect(req);
      if ("client" in r) {
        const client = r.client;
        return {
          ok: true,
          session: {
            client,
            host,
            user: req.user,
            database: req.database,
            channel,
            close: async () => {
              await client.end().catch(() => undefined);
            },
          },
        };
      }
      last = r.message;
      if (!fallsBack(input.mode, channel, r.end as Parameters<typeof fallsBack>[2])) break;
    }
  }
  return { ok: false, reason: last };
}
