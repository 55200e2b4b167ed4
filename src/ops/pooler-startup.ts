// A credential-free sign of PgBouncer, for when no session could be opened (the configured sslmode fails): one
// plaintext StartupMessage with a custom parameter. PostgreSQL accepts a dotted (placeholder) parameter and applies it
// only after authentication, so it answers with an authentication request (or a pg_hba error) and we close there
// (PostgreSQL exits silently on EOF at the password prompt, auth.c auth_failed STATUS_EOF). PgBouncer checks startup
// parameters before authentication and refuses one it does not track: "unsupported startup parameter: <name>"
// (client.c), an ErrorResponse with SQLSTATE 08P01 and none of PostgreSQL's file/line/routine fields.
import net from "node:net";

export const PROBE_PARAMETER = "dbdoctor.pooler_probe";

export interface StartupAnswer {
  /** 'E' error, 'R' authentication request, other: the first message type; null: no answer in time. */
  type: string | null;
  /** The ErrorResponse's fields by their one-letter code (S, V, C, M, F, L, R ...). */
  fields?: Record<string, string>;
}

function startupMessage(): Buffer {
  const pairs = ["user", "dbdoctor", "database", "dbdoctor", PROBE_PARAMETER, "1"];
  const body = Buffer.concat([...pairs.map((s) => Buffer.from(`${s}\0`, "utf8")), Buffer.from([0])]);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(196608, 4); // protocol 3.0
  return Buffer.concat([head, body]);
}

export function parseErrorFields(payload: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < payload.length && payload[i] !== 0) {
    const code = String.fromCharCode(payload[i] as number);
    const end = payload.indexOf(0, i + 1);
    if (end < 0) break;
    out[code] = payload.subarray(i + 1, end).toString("utf8");
    i = end + 1;
  }
  return out;
}

/** Sends the StartupMessage and reads the first message back; at most `timeoutMs`, then gives up. */
export function startupAnswer(host: string, port: number, timeoutMs: number): Promise<StartupAnswer> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    let settled = false;
    const socket = net.connect({ host, port });
    const done = (a: StartupAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(a);
    };
    const timer = setTimeout(() => done({ type: null }), timeoutMs);
    socket.once("connect", () => socket.write(startupMessage()));
    socket.on("data", (chunk: Buffer) => {
      // Capped: the first message is all we read.
      buf = Buffer.concat([buf, chunk]).subarray(0, 16_384);
      if (buf.length < 5) return;
      const type = String.fromCharCode(buf[0] as number);
      if (type !== "E") return done({ type });
      const len = buf.readInt32BE(1);
      if (buf.length < 1 + len && buf.length < 16_384) return;
      done({ type, fields: parseErrorFields(buf.subarray(5, 1 + len)) });
    });
    socket.once("error", () => done({ type: null }));
    socket.once("close", () => done({ type: null }));
  });
}

/** The answer as a fact for ops/pooler.ts: an ErrorResponse, or nothing worth keeping. */
export interface StartupSign {
  host: string;
  port: number;
  fields: Record<string, string>;
}

export async function startupSign(host: string, port: number, timeoutMs: number): Promise<StartupSign | undefined> {
  const a = await startupAnswer(host, port, timeoutMs);
  return a.type === "E" && a.fields ? { host, port, fields: a.fields } : undefined;
}
